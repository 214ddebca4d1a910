import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'src-*/**/*.test.ts'],
    // test/data needs the benchmark sets beside the clone: `npm run test:data` (vitest.data.config.ts).
    exclude: ['test/reliability/**', 'test/data/**', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: heavy suites (wasm training, ONNX) must not fight each other for them.
    maxWorkers: 2,
  },
});
