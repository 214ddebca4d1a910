// `npm test`: lint (ESLint + Prettier), typecheck, then vitest (unit + integration), then the default
// (bounded) part of the reliability suite, then Playwright (E2E against the browser host), each run
// even when an earlier one failed so one report shows everything; then one closing line summing the
// runners' JSON reports: `tests: N passed, M failed, K skipped`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './build-if-stale.mjs';
import { playwrightCounts, summaryLine, vitestCounts } from './test-summary.mjs';

const runId = `${Date.now()}-${process.pid}`;
const resultsDir = join(root, 'test-results');
mkdirSync(resultsDir, { recursive: true });
const vitestReport = join(resultsDir, `vitest-${runId}.json`);
const reliabilityReport = join(resultsDir, `reliability-${runId}.json`);
const playwrightReport = join(resultsDir, `e2e-${runId}.json`);

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
steps.push(step('unit + integration', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`]));
steps.push(
  step('reliability', 'npx', ['vitest', 'run', '--config', 'vitest.reliability.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${reliabilityReport}`]),
);
steps.push(step('end-to-end', 'npm', ['run', 'test:e2e'], { CLEARFRAME_E2E_RUN: runId }));

const vitest = vitestCounts(readJson(vitestReport));
const reliability = vitestCounts(readJson(reliabilityReport));
const e2e = playwrightCounts(readJson(playwrightReport));
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
