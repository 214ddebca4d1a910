// Counts from the two runners' JSON reports, for scripts/test.mjs's closing line, and the lines
// above it that say which files failed in their setup and which skipped tests, and why.
import { relative } from 'node:path';

/** Where a report's file name is shown: relative to the checkout (as the skip notes name it), forward slashes. */
function shortName(name, root) {
  return (root ? relative(root, name) : name).replaceAll('\\', '/');
}

/**
 * A file whose setup failed (a `beforeAll` that threw, an import that failed): vitest marks the file
 * failed and every test it did not run "skipped", with no failed test. Such a file counts as failed,
 * and so does each of its tests that did not run (or the file once, when it has none).
 */
function setupFailed(file) {
  const results = file.assertionResults ?? [];
  return file.status === 'failed' && !results.some((r) => r.status === 'failed');
}

/** vitest's json reporter (Jest-compatible totals), with setup failures counted as failures. */
export function vitestCounts(report) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  if (!report) return counts;
  counts.passed = report.numPassedTests ?? 0;
  counts.failed = report.numFailedTests ?? 0;
  counts.skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const file of report.testResults ?? []) {
    if (!setupFailed(file)) continue;
    const notRun = (file.assertionResults ?? []).filter(
      (r) => r.status === 'skipped' || r.status === 'pending' || r.status === 'todo',
    ).length;
    counts.skipped -= notRun;
    counts.failed += Math.max(1, notRun);
  }
  return counts;
}

/**
 * One line per file whose setup failed (with its error's first line) and per file with skipped
 * tests (how many, and the reasons they gave: `skipNotes` from scripts/vitest-skip-notes.mjs).
 */
export function vitestFileLines(report, skipNotes = {}, root = '') {
  const lines = [];
  for (const file of report?.testResults ?? []) {
    const name = shortName(file.name, root);
    const results = file.assertionResults ?? [];
    if (setupFailed(file)) {
      const reason = (file.message ?? '').split('\n').find((l) => l.trim() !== '') ?? 'no message';
      lines.push(
        `setup failed: ${name} (${results.length} ${results.length === 1 ? 'test' : 'tests'} not run): ${reason.trim()}`,
      );
      continue;
    }
    const skipped = results.filter((r) => r.status === 'skipped' || r.status === 'pending' || r.status === 'todo');
    if (skipped.length === 0) continue;
    const notes = (skipNotes[name] ?? []).map((s) => s.note).filter(Boolean);
    const reasons = [...new Set(notes)];
    lines.push(
      `skipped: ${name}: ${skipped.length} ${skipped.length === 1 ? 'test' : 'tests'} (${reasons.length > 0 ? reasons.join('; ') : 'no reason given'})`,
    );
  }
  return lines;
}

/** Playwright's json reporter: one line per skipped test, with the reason its annotation gives. */
export function playwrightSkipLines(report) {
  const lines = [];
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'skipped') continue;
        const note = (test.annotations ?? []).find((a) => a.type === 'skip')?.description;
        lines.push(`skipped: ${spec.file}: ${spec.title} (${note ?? 'no reason given'})`);
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report?.suites ?? []) walk(suite);
  return lines;
}

/** Playwright's json reporter: stats.expected (passed), unexpected (failed), flaky (passed on retry), skipped. */
export function playwrightCounts(report) {
  const stats = report?.stats ?? {};
  return {
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed: stats.unexpected ?? 0,
    skipped: stats.skipped ?? 0,
  };
}

export function summaryLine({ passed, failed, skipped }) {
  return `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;
}
