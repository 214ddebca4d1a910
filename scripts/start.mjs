// `npm start`: builds if needed, then runs the desktop app with Electron. Electron 45 downloads its
// binary the first time it is required; where that cannot happen (offline build machines), the
// same app is served by the browser host instead and its URL printed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildIfStale, root } from './build-if-stale.mjs';

const RESOLVE_TIMEOUT_MS = 20_000;

/** The Electron executable, or the one-line reason it is unavailable. */
function resolveElectron() {
  const result = spawnSync(process.execPath, ['-e', "process.stdout.write(String(require('electron')))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: RESOLVE_TIMEOUT_MS,
  });
  if (result.error?.code === 'ETIMEDOUT') return { reason: `no answer within ${RESOLVE_TIMEOUT_MS / 1000} s` };
  if (result.status === 0 && result.stdout && existsSync(result.stdout.trim())) return { path: result.stdout.trim() };
  const lines = `${result.stderr ?? ''}`.split('\n').map((line) => line.trim());
  const reason =
    lines.find((line) => /^\w*Error\b|fetch failed|ENOTFOUND|EAI_AGAIN/.test(line)) ??
    lines.find(Boolean) ??
    `exit ${result.status}`;
  return { reason };
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

try {
  buildIfStale();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

const passThrough = process.argv.slice(2);
const electron = process.env.CLEARFRAME_BROWSER ? { reason: 'CLEARFRAME_BROWSER is set' } : resolveElectron();
if (electron.path) {
  run(electron.path, ['.', ...passThrough]);
} else {
  console.log(
    `Electron's binary could not be downloaded here (${electron.reason}); serving the app in your browser instead.`,
  );
  run(process.execPath, [join(root, 'dist/node/src-main/host/main.js'), ...passThrough]);
}
