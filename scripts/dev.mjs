// `npm run dev`: Vite's dev server (HMR) for the renderer, plus the browser host from source (tsx)
// for the contract. Vite serves the page and proxies /ws to the host (see vite.config.ts), so the
// page and the socket share Vite's origin, which the host is told to allow (--dev-origin).
// Open the printed Vite URL: it carries the host's token.
import { spawn } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { createServer } from 'vite';
import { root } from './build-if-stale.mjs';

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const hostPort = await freePort();
process.env.CLEARFRAME_HOST_URL = `http://127.0.0.1:${hostPort}`; // read by vite.config.ts
const vite = await createServer({ configFile: join(root, 'vite.config.ts') });
await vite.listen();
const viteUrl = vite.resolvedUrls?.local[0];
if (!viteUrl) throw new Error('Vite did not report its URL.');
const viteOrigin = new URL(viteUrl).origin;

const tsx = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');
const host = spawn(
  tsx,
  ['src-main/host/main.ts', '--port', String(hostPort), '--dev-origin', viteOrigin, ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    shell: process.platform === 'win32',
  },
);
host.stdout.on('data', (chunk) => {
  const text = chunk.toString();
  const token = /\?token=([\w-]+)/.exec(text)?.[1];
  if (token) console.log(`Clearframe (dev) is running at ${viteOrigin}/?token=${token}`);
  else process.stdout.write(text);
});

const stop = async () => {
  host.kill('SIGTERM');
  await vite.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
host.once('exit', (code) => {
  console.error(`The browser host stopped (exit ${code}); stopping Vite.`);
  void vite.close().then(() => process.exit(code ?? 1));
});
