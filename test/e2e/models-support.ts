// A model for the denoising specs. Shipped models (assets/models) are used when the build has
// them; otherwise one tiny model is trained once per test run with the real CLI (a few steps on
// four real photos) and installed as a user model in each test's host.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from '@playwright/test';
import WebSocket from 'ws';
import { copyImages, repoRoot, samples, type HostHandle } from './fixtures.js';

const run = promisify(execFile);
export const TEST_MODEL_ID = 'e2e-tiny-model';

export function hasShippedModels(): boolean {
  const dir = join(repoRoot, 'assets', 'models');
  return existsSync(dir) && readdirSync(dir).some((name) => existsSync(join(dir, name, 'card.json')));
}

let trained: Promise<string> | null = null;

async function trainTinyModel(): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'clearframe-e2e-model-'));
  const data = await copyImages(join(samples, 'grey'), join(work, 'data'), 4);
  const out = join(work, 'model');
  await run(
    process.execPath,
    [
      join(repoRoot, 'dist/node/src-main/cli.js'),
      'train',
      '--data',
      data,
      '--arch',
      'dcae-res',
      '--epochs',
      '1',
      '--steps-per-epoch',
      '6',
      '--batch',
      '4',
      '--patch',
      '32',
      '--lr',
      '3e-3',
      '--channels',
      '1',
      '--sigma',
      '25',
      '--id',
      TEST_MODEL_ID,
      '--name',
      'E2E tiny model',
      '--out',
      out,
    ],
    { cwd: repoRoot, timeout: 240_000 },
  );
  return out;
}

/** One contract call straight to the host's socket (as the page would make it). */
export function hostCall(
  host: HostHandle,
  channel: string,
  request: unknown,
): Promise<{ ok: boolean; error?: { code: string; message: string } }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${encodeURIComponent(host.token)}`, {
      origin: host.origin,
    });
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ id: 1, channel, request })));
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as {
        id?: number;
        result?: { ok: boolean; error?: { code: string; message: string } };
      };
      if (message.id !== 1 || !message.result) return;
      socket.close();
      resolve(message.result);
    });
  });
}

/**
 * The denoise and models channels are in the contract, but a browser host built without the
 * engine services answers them 'unsupported'. Such a host cannot run these stories: skip, saying so.
 */
export async function skipWithoutEngine(host: HostHandle): Promise<void> {
  const result = await hostCall(host, 'models:list', {});
  test.skip(
    !result.ok && result.error?.code === 'unsupported',
    `The browser host runs without the denoising engine (models:list answered: ${result.error?.message ?? ''}); src-main/host/services.ts must add engine services.`,
  );
}

/** Makes sure the host can denoise: nothing to do with shipped models, else installs the tiny one. */
export async function ensureModel(host: HostHandle): Promise<'shipped' | 'test'> {
  if (hasShippedModels()) return 'shipped';
  trained ??= trainTinyModel();
  const source = await trained;
  const target = join(host.dataDir, 'models', TEST_MODEL_ID);
  await mkdir(join(host.dataDir, 'models'), { recursive: true });
  await cp(source, target, { recursive: true, filter: (path) => !path.includes('checkpoints') });
  return 'test';
}
