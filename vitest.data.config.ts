// `npm run test:data`: the tests that need the public benchmark sets beside the clone (../shared/data:
// set12, bsd68, train400, cbsd68, bsds-color-train, polyu-dev; test/data/data-sets.ts says where each
// comes from, .github/actions/shared-data fetches them). Real-noise scores on polyu-dev, the shipped
// models against their cards, int8 calibration and its guard on real sets, training on Train400.
// The global setup stops the run at once, naming what to fetch, when a set is missing.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/data/**/*.test.ts'],
    globalSetup: ['test/data/require-data.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
