// `npm run test:reliability`: bad input, faults, security and load (issue #9). The default part is
// bounded for CI (≤ 4 min on 2 cores); CLEARFRAME_RELIABILITY_FULL=1 adds the 500-image load test.
// The global setup collects the figures each file records and prints one table at the end, also
// written to test-results/reliability-<date>.json (bench/results/ for a full run or with
// CLEARFRAME_RELIABILITY_RECORD=1: the figures the README cites).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    globalSetup: ['test/reliability/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Files run one at a time: the load and fault tests measure timings and must not share 2 cores.
    fileParallelism: false,
    maxWorkers: 1,
  },
});
