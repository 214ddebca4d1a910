// `npm test`: lint (ESLint + Prettier), typecheck, then vitest (unit + integration), then the default
// (bounded) part of the reliability suite, then Playwright (E2E against the browser host), each run
// even when an earlier one failed so one report shows everything; then one closing line summing the
// runners' JSON reports: `tests: N passed, M failed, K skipped`, after one line per file whose setup
// failed (counted as failures, with their tests) and per file that skipped tests, with the reasons.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './build-if-stale.mjs';
import { playwrightCounts, playwrightSkipLines, summaryLine, vitestCounts, vitestFileLines } from './test-summary.mjs';

const runId = `${Date.now()}-${process.pid}`;
const resultsDir = join(root, 'test-results');
mkdirSync(resultsDir, { recursive: true });
const vitestReport = join(resultsDir, `vitest-${runId}.json`);
const reliabilityReport = join(resultsDir, `reliability-${runId}.json`);
const playwrightReport = join(resultsDir, `e2e-${runId}.json`);
const skipNotes = (name) => join(resultsDir, `${name}-skips-${runId}.json`);
const skipReporter = '--reporter=./scripts/vitest-skip-notes.mjs';

function step(name, command, args, env = {}) {
  console.log(`\n── ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
    shell: process.platform === 'win32',
  });
  const ok = result.status === 0;
  if (!ok) console.log(`── ${name} failed (exit ${result.status ?? result.signal})`);
  return ok;
}

function readJson(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

const steps = [];
steps.push(step('lint', 'npm', ['run', 'lint']));
steps.push(step('typecheck', 'npm', ['run', 'typecheck']));
steps.push(
  step(
    'unit + integration',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', skipReporter, `--outputFile.json=${vitestReport}`],
    {
      CLEARFRAME_SKIP_NOTES: skipNotes('vitest'),
    },
  ),
);
steps.push(
  step(
    'reliability',
    'npx',
    [
      'vitest',
      'run',
      '--config',
      'vitest.reliability.config.ts',
      '--reporter=default',
      '--reporter=json',
      skipReporter,
      `--outputFile.json=${reliabilityReport}`,
    ],
    { CLEARFRAME_SKIP_NOTES: skipNotes('reliability') },
  ),
);
steps.push(step('end-to-end', 'npm', ['run', 'test:e2e'], { CLEARFRAME_E2E_RUN: runId }));

const reports = {
  vitest: readJson(vitestReport),
  reliability: readJson(reliabilityReport),
  e2e: readJson(playwrightReport),
};
const vitest = vitestCounts(reports.vitest);
const reliability = vitestCounts(reports.reliability);
const e2e = playwrightCounts(reports.e2e);
const e2eSkips = playwrightSkipLines(reports.e2e);
const fileLines = [
  ...vitestFileLines(reports.vitest, readJson(skipNotes('vitest')), root),
  ...vitestFileLines(reports.reliability, readJson(skipNotes('reliability')), root),
  ...e2eSkips,
];
if (fileLines.length > 0) console.log(`\n── setup failures and skips\n${fileLines.join('\n')}`);
// The Electron spec skips where its binary is absent: say so plainly, the browser host is not the desktop app.
if (reports.e2e && e2eSkips.some((line) => line.includes('electron.spec.ts')))
  console.log(
    '── the desktop app (Electron) was NOT exercised: its binary is not installed here (`npx install-electron`)',
  );
const missing = [
  [vitestReport, 'vitest'],
  [reliabilityReport, 'reliability'],
  [playwrightReport, 'playwright'],
].filter(([file]) => !existsSync(file));
for (const [, name] of missing) console.log(`── ${name} wrote no report: its run did not complete`);
const total = {
  passed: vitest.passed + reliability.passed + e2e.passed,
  failed: vitest.failed + reliability.failed + e2e.failed + missing.length,
  skipped: vitest.skipped + reliability.skipped + e2e.skipped,
};
const failedSteps = steps.filter((ok) => !ok).length;
console.log(summaryLine(total));
process.exit(failedSteps > 0 || total.failed > 0 ? 1 : 0);
