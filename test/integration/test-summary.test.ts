// The closing line of `npm test` counts what the runners really report: run vitest and Playwright
// on a tiny suite with one pass, one failure and one skip each, and read their JSON reports.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playwrightCounts, summaryLine, vitestCounts } from '../../scripts/test-summary.mjs';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
// Inside the checkout (in the ignored .cache/) so the runners resolve their own packages.
const dir = join(root, '.cache', `test-summary-${process.pid}`);

async function runIgnoringExit(command: string, args: string[]): Promise<void> {
  await run(command, args, { cwd: dir, env: { ...process.env, CI: '' } }).catch(() => undefined); // one test fails on purpose
}

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'vitest.config.mjs'), "export default { test: { include: ['sample.test.mjs'] } };\n");
  await writeFile(
    join(dir, 'sample.test.mjs'),
    "import { it, expect } from 'vitest';\nit('passes', () => expect(1).toBe(1));\nit('fails', () => expect(1).toBe(2));\nit.skip('is skipped', () => {});\n",
  );
  await writeFile(join(dir, 'playwright.config.mjs'), "export default { testDir: '.', testMatch: 'sample.spec.mjs' };\n");
  await writeFile(
    join(dir, 'sample.spec.mjs'),
    "import { test, expect } from '@playwright/test';\ntest('passes', () => expect(1).toBe(1));\ntest('fails', () => expect(1).toBe(2));\ntest.skip('is skipped', () => {});\n",
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('test summary', () => {
  it("counts vitest's JSON report", async () => {
    const report = join(dir, 'vitest.json');
    await runIgnoringExit(join(root, 'node_modules/.bin/vitest'), ['run', '--config', 'vitest.config.mjs', '--reporter=json', `--outputFile.json=${report}`]);
    expect(vitestCounts(JSON.parse(await readFile(report, 'utf8')))).toEqual({ passed: 1, failed: 1, skipped: 1 });
  });

  it("counts Playwright's JSON report", async () => {
    const report = join(dir, 'playwright.json');
    await run(join(root, 'node_modules/.bin/playwright'), ['test', '--config', 'playwright.config.mjs', '--reporter=json'], {
      cwd: dir,
      env: { ...process.env, CI: '', PLAYWRIGHT_JSON_OUTPUT_NAME: report },
    }).catch(() => undefined);
    expect(playwrightCounts(JSON.parse(await readFile(report, 'utf8')))).toEqual({ passed: 1, failed: 1, skipped: 1 });
  });

  it('prints the one closing line', () => {
    expect(summaryLine({ passed: 123, failed: 0, skipped: 4 })).toBe('tests: 123 passed, 0 failed, 4 skipped');
  });
});
