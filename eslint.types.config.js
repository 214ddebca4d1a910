// `npm run lint:types`: eslint.config.js plus the rules that need the type checker, over the
// TypeScript and Svelte sources of both tsconfigs (main, engine, shared, tests, bench and scripts in
// tsconfig.test.json; the renderer's). Kept out of `npm run lint` (and so out of `npm test`): on two
// cores it took 1 min 49 s of CPU where `eslint .` takes 23 s. CI runs it beside `npm test` (.ci/run,
// .github/workflows/ci.yml).
import { defineConfig } from 'eslint/config';
import base from './eslint.config.js';

export default defineConfig(base, {
  files: ['**/*.ts', '**/*.mts', '**/*.svelte'],
  languageOptions: {
    parserOptions: {
      project: ['./tsconfig.test.json', './src-renderer/tsconfig.json'],
      tsconfigRootDir: import.meta.dirname,
      extraFileExtensions: ['.svelte'],
    },
  },
  rules: {
    // A promise nobody awaits or catches fails silently: await it, return it, or mark a deliberate
    // fire-and-forget with `void` (where its own code reports its failure).
    '@typescript-eslint/no-floating-promises': 'error',
    // An async function where a plain callback is expected (an event listener, a setter) drops its
    // promise: the caller neither waits for it nor sees it fail.
    '@typescript-eslint/no-misused-promises': 'error',
    // A switch over a union handles every member (or says `default`), so a new member cannot be missed.
    '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
  },
});
