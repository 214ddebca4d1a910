// The closing line of `npm test` counts what the runners really report: run vitest and Playwright
// on a tiny suite with one pass, one failure and one skip each, and read their JSON reports; a file
// whose beforeAll throws counts as failed with its tests, and the lines above the total name it and
// the files that skipped tests, with their reasons.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playwrightCounts, summaryLine, vitestCounts, vitestFileLines } from '../../scripts/test-summary.mjs';

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
  await writeFile(
    join(dir, 'setup.config.mjs'),
    "export default { test: { include: ['setup.test.mjs', 'skips.test.mjs'] } };\n",
  );
  await writeFile(
    join(dir, 'setup.test.mjs'),
    "import { beforeAll, it, expect } from 'vitest';\nbeforeAll(() => { throw new Error('ENOENT: no such file ../shared/data/set12/01.png'); });\nit('one', () => expect(1).toBe(1));\nit('two', () => expect(1).toBe(1));\n",
  );
  await writeFile(
    join(dir, 'skips.test.mjs'),
    "import { it, expect } from 'vitest';\nit('passes', () => expect(1).toBe(1));\nit('needs a GPU', (ctx) => ctx.skip('no WebGPU adapter here'));\n",
  );
  await writeFile(
    join(dir, 'playwright.config.mjs'),
    "export default { testDir: '.', testMatch: 'sample.spec.mjs' };\n",
  );
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
    await runIgnoringExit(join(root, 'node_modules/.bin/vitest'), [
      'run',
      '--config',
      'vitest.config.mjs',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ]);
    expect(vitestCounts(JSON.parse(await readFile(report, 'utf8')))).toEqual({ passed: 1, failed: 1, skipped: 1 });
  });

  it('counts a file whose beforeAll throws as failed, with its tests, and names it and the skips with their reasons', async () => {
    const report = join(dir, 'setup.json');
    const notes = join(dir, 'setup-skips.json');
    await run(
      join(root, 'node_modules/.bin/vitest'),
      [
        'run',
        '--config',
        'setup.config.mjs',
        '--reporter=json',
        `--reporter=${join(root, 'scripts/vitest-skip-notes.mjs')}`,
        `--outputFile.json=${report}`,
      ],
      { cwd: dir, env: { ...process.env, CI: '', CLEARFRAME_SKIP_NOTES: notes } },
    ).catch(() => undefined);
    const json = JSON.parse(await readFile(report, 'utf8'));
    // vitest itself calls the setup's two tests skipped and none failed.
    expect({ failed: json.numFailedTests, skipped: json.numPendingTests }).toEqual({ failed: 0, skipped: 3 });
    expect(vitestCounts(json)).toEqual({ passed: 1, failed: 2, skipped: 1 });
    const lines = vitestFileLines(json, JSON.parse(await readFile(notes, 'utf8')), dir);
    expect(lines).toEqual([
      expect.stringMatching(
        /^setup failed: setup\.test\.mjs \(2 tests not run\): .*ENOENT: no such file \.\.\/shared\/data\/set12\/01\.png/,
      ),
      'skipped: skips.test.mjs: 1 test (no WebGPU adapter here)',
    ]);
  });

  it("counts Playwright's JSON report", async () => {
    const report = join(dir, 'playwright.json');
    await run(
      join(root, 'node_modules/.bin/playwright'),
      ['test', '--config', 'playwright.config.mjs', '--reporter=json'],
      {
        cwd: dir,
        env: { ...process.env, CI: '', PLAYWRIGHT_JSON_OUTPUT_NAME: report },
      },
    ).catch(() => undefined);
    expect(playwrightCounts(JSON.parse(await readFile(report, 'utf8')))).toEqual({ passed: 1, failed: 1, skipped: 1 });
  });

  it('prints the one closing line', () => {
    expect(summaryLine({ passed: 123, failed: 0, skipped: 4 })).toBe('tests: 123 passed, 0 failed, 4 skipped');
  });
});
