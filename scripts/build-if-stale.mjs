// Builds the app (`npm run build`) unless dist/ is newer than every source file. Shared by
// `npm start` and Playwright's global setup so neither rebuilds needlessly nor runs stale code.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

const SOURCES = [
  'src-main',
  'src-shared',
  'src-renderer',
  'vite.config.ts',
  'tsconfig.json',
  'tsconfig.base.json',
  'package.json',
];
const OUTPUTS = ['dist/node/src-main/host/main.js', 'dist/node/src-main/app/preload.cjs', 'dist/renderer/index.html'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Why a build is needed, or undefined when dist/ is up to date. */
export function staleReason() {
  const missing = OUTPUTS.find((output) => !existsSync(join(root, output)));
  if (missing) return `${missing} is missing`;
  const built = Math.min(...OUTPUTS.map((output) => statSync(join(root, output)).mtimeMs));
  const changed = SOURCES.find((source) => newestMtime(join(root, source)) > built);
  return changed ? `${changed} changed since the last build` : undefined;
}

/** Runs `npm run build` when needed; throws when the build fails. */
export function buildIfStale(log = console.log) {
  const reason = staleReason();
  if (reason === undefined) return false;
  log(`Building Clearframe (${reason})…`);
  const result = spawnSync('npm', ['run', 'build'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status ?? result.signal}).`);
  return true;
}
