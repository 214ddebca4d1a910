// `npm run lint` (first step of `npm test`): ESLint's and typescript-eslint's recommended rules
// everywhere, Svelte's for the renderer, and the globals each folder really runs with: Node for
// the main and engine processes, CLI, scripts, tests and benchmarks; the browser for the renderer.
// Formatting is Prettier's job (.prettierrc), so no stylistic rules here. Not type-aware: the rules
// that need the type checker (floating and misused promises, exhaustive switches) are in
// eslint.types.config.js, run by `npm run lint:types` in CI, because building the typed programs
// takes about five times as long as this whole lint on two cores.
// Which layer may import which is checked by test/unit/architecture-imports.test.ts.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'release/',
      'test-results/',
      'playwright-report/',
      'bench/results/',
      'assets/',
      '**/*.onnx',
      '.scratch/',
      'scratch/',
      '.cache/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  svelte.configs.recommended,
  {
    // Everything outside the renderer runs on Node (main, engine, CLI, host, scripts, tests, bench).
    languageOptions: { globals: globals.node },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Svelte components and rune modules (.svelte.ts) are parsed by Svelte, their scripts by TypeScript.
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      // `_name` marks a parameter a signature must accept but this implementation does not use.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // typescript-eslint turns prefer-const on for TypeScript files. `let x;` declared before the
    // closures that read it and assigned once later (the host's gate, set when it listens) cannot
    // be `const`: the closures check it before it is set.
    files: ['**/*.ts', '**/*.mts', '**/*.cts'],
    rules: { 'prefer-const': ['error', { ignoreReadBeforeAssign: true }] },
  },
  {
    // Playwright fixtures that use no other fixture must still destructure their first argument.
    files: ['test/e2e/**'],
    rules: { 'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }] },
  },
);
