// The fixture every E2E spec uses. Each test gets its own browser host, started from the built
// app (dist/node/src-main/host/main.js, built once by global-setup.ts) on a random port with a temp
// data dir, and a `page` already open at the tokenised URL.
//
//   import { test, expect, copyImages, samples } from './fixtures.js';
//   test('opens a folder', async ({ page, host, tempDir }) => {
//     const folder = await copyImages(join(samples, 'grey'), join(tempDir, 'photos'), 4);
//     await page.getByTestId('open-folder-path').fill(folder);
//   });
//
// `host` = { url (with ?token=), origin, port, token, dataDir, stop() }. `tempDir` is a fresh
// folder removed after the test; put photo folders there (never write into `samples`).
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test as base, expect } from '@playwright/test';

export const repoRoot = resolve(import.meta.dirname, '../..');
/**
 * The test photos global-setup.ts makes (test/helpers/samples.ts): grey/ ('01'–'12'.png, Set12-like),
 * colour/ (colour-00…05.png, 481×321) and camera/ (noisy/ and clean/ camera-00…07.jpg, 512²).
 */
export { sampleFoldersDir as samples } from '../helpers/samples.js';

const HOST_ENTRY = join(repoRoot, 'dist/node/src-main/host/main.js');
const START_TIMEOUT_MS = 30_000;

export interface HostHandle {
  url: string;
  origin: string;
  port: number;
  token: string;
  dataDir: string;
  /** Stops the host early (e.g. to test how the page copes with a lost connection). */
  stop(): Promise<void>;
}

/** Starts `node dist/.../host/main.js` and waits for its "running at" line. */
export async function launchHost(dataDir: string, extraArgs: readonly string[] = []): Promise<HostHandle> {
  const child: ChildProcess = spawn(
    process.execPath,
    [HOST_ENTRY, '--port', '0', '--data-dir', dataDir, ...extraArgs],
    {
      cwd: repoRoot,
      env: { ...process.env, CLEARFRAME_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The host did not start within ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /Clearframe is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The host exited (code ${code}) before it was ready:\n${output}`));
    });
  });
  // Keep draining output so a chatty host never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[host] ${chunk.toString()}`));
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token: parsed.searchParams.get('token') ?? '',
    dataDir,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
        child.once('exit', () => resolveStop());
        child.kill('SIGTERM');
      }),
  };
}

/** Copies the first `count` images (sorted by name) of a shared data set into `target`. */
export async function copyImages(source: string, target: string, count = Infinity): Promise<string> {
  await mkdir(target, { recursive: true });
  const names = (await readdir(source))
    .filter((name) => /\.(png|jpe?g|tiff?|webp)$/i.test(name))
    .sort()
    .slice(0, count);
  for (const name of names) await copyFile(join(source, name), join(target, name));
  return target;
}

interface Fixtures {
  tempDir: string;
  host: HostHandle;
  hostUrl: string;
  token: string;
}

export const test = base.extend<Fixtures>({
  tempDir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'clearframe-e2e-'));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },
  host: async ({ tempDir }, use) => {
    const host = await launchHost(join(tempDir, 'data'));
    await use(host);
    await host.stop();
  },
  hostUrl: async ({ host }, use) => use(host.url),
  token: async ({ host }, use) => use(host.token),
  page: async ({ page, host }, use) => {
    await page.goto(host.url);
    await use(page);
  },
});

export { expect };
