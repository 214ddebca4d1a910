// Bundles the Electron preload to CommonJS: a sandboxed preload cannot load ES modules or any
// file besides itself, so src-main/app/preload.ts and its imports become one .cjs file.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ['src-main/app/preload.ts'],
  outfile: 'dist/node/src-main/app/preload.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['electron'],
  sourcemap: 'inline',
  logLevel: 'warning',
});
