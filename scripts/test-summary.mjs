// Counts from the two runners' JSON reports, for scripts/test.mjs's closing line.

/** vitest's json reporter (Jest-compatible totals). A file that fails to load has no tests but is a failure. */
export function vitestCounts(report) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  if (!report) return counts;
  counts.passed = report.numPassedTests ?? 0;
  counts.failed = report.numFailedTests ?? 0;
  counts.skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const file of report.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) counts.failed += 1;
  }
  return counts;
}

/** Playwright's json reporter: stats.expected (passed), unexpected (failed), flaky (passed on retry), skipped. */
export function playwrightCounts(report) {
  const stats = report?.stats ?? {};
  return { passed: (stats.expected ?? 0) + (stats.flaky ?? 0), failed: stats.unexpected ?? 0, skipped: stats.skipped ?? 0 };
}

export function summaryLine({ passed, failed, skipped }) {
  return `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;
}
