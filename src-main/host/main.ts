// `node dist/node/src-main/host/main.js [--port N] [--data-dir DIR] [--renderer-dir DIR] [--dev-origin URL]`
// Starts the browser host and prints the tokenised URL to open. Ctrl+C stops it.
// --dev-origin: Vite's dev server serves the page (npm run dev) and proxies /ws here; its origin is
// allowed on the socket and the built renderer is not required.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../resources.js';
import { defaultDataDir } from '../settings/data-dir.js';
import { startHost } from './server.js';

function parsePort(text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a number from 0 to 65535, not "${text}".`);
  return port;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'renderer-dir': { type: 'string' },
      'dev-origin': { type: 'string' },
    },
  });
  const rendererDir = resolve(values['renderer-dir'] ?? join(repoRoot(), 'dist', 'renderer'));
  const devOrigin = values['dev-origin'];
  if (devOrigin === undefined && !existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(
      `The renderer is not built: ${join(rendererDir, 'index.html')} is missing. Run \`npm run build\` first.`,
    );
  }
  const host = await startHost({
    port: parsePort(values.port ?? process.env.CLEARFRAME_PORT),
    dataDir: resolve(values['data-dir'] ?? defaultDataDir()),
    rendererDir,
    extraOrigins: devOrigin === undefined ? [] : [devOrigin],
  });
  console.log(`Clearframe is running at ${host.url}`);
  // close() ends the engine as Stop does: a training run saves a checkpoint and its model first.
  const stop = (): void => {
    void host.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.once('SIGHUP', stop);
}

main().catch((error: unknown) => {
  console.error(`Clearframe could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
