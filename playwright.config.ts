// End-to-end tests against the browser host (built app from dist/), in Debian's Chromium where it
// exists (Playwright's own browsers cannot be downloaded on our build machines).
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Several people (and agents) may run Playwright in one checkout at once: each run writes to its own
// folder so one run's cleanup cannot delete another's traces. scripts/test.mjs sets the id to find
// the JSON report; workers inherit it from the runner through the environment.
const runId = (process.env.CLEARFRAME_E2E_RUN ??= `${Date.now()}-${process.pid}`);

const systemChromium =
  process.env.CLEARFRAME_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/e2e/global-setup.ts',
  // Two cores shared with the engine's own work: one browser at a time keeps timings honest.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: `test-results/e2e-${runId}.json` }]],
  outputDir: `test-results/e2e-${runId}`,
  use: {
    browserName: 'chromium',
    launchOptions: {
      ...(systemChromium ? { executablePath: systemChromium } : {}),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
