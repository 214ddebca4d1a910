#!/usr/bin/env node
// Runs the compiled CLI (dist/node/src-main/cli.js) when built, else the TypeScript source through
// tsx — so `npx clearframe …` / `npm run clearframe -- …` work in a fresh checkout too.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}dist/node/src-main/cli.js`;
let cli;
if (existsSync(built)) {
  cli = await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(pathToFileURL(`${root}src-main/cli.ts`).href);
}
process.exitCode = await cli.main(process.argv.slice(2));
