// The library's "failed" badge survives a restart: a photo whose denoise failed is listed with the
// reason by a fresh host over the same data folder, until it changes or a later run works. Through
// the real dispatcher, api handlers, engine process and shipped models, with a truncated camera JPEG.
import { mkdir, mkdtemp, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type RequestContext } from '../../src-main/api/dispatch.js';
import { createHandlers, type ApiServices } from '../../src-main/api/index.js';
import { FailedPhotos, MAX_REMEMBERED_FAILURES } from '../../src-main/settings/failed-photos.js';
import type { LibraryOpenResponse } from '../../src-shared/schemas/library.js';
import { browserHostServices } from '../helpers/api-services.js';
import { repoRoot } from '../helpers/images.js';
import { cameraPair } from '../helpers/samples.js';

let root: string;
let folder: string;
let whole: Buffer; // a whole noisy camera JPEG
const opened: ApiServices[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-failed-'));
  folder = join(root, 'photos');
  await mkdir(folder);
  await symlink(join(repoRoot, 'assets', 'models'), join(root, 'shipped'));
  await writeFile(join(folder, 'good.jpg'), (await cameraPair(0)).noisy);
  // Header and half the data: listed (its header reads), but it cannot be denoised.
  whole = (await cameraPair(1)).noisy;
  await writeFile(join(folder, 'cut.jpg'), whole.subarray(0, Math.floor(whole.length / 2)));
});

afterAll(async () => {
  for (const services of opened) await services.engine?.client.dispose();
  await rm(root, { recursive: true, force: true });
});

/** A host as after a (re)start: fresh services over the same data folder. */
async function host(): Promise<ApiServices> {
  const services = await browserHostServices(root, [folder]);
  opened.push(services);
  return services;
}

async function open(services: ApiServices): Promise<Map<string, LibraryOpenResponse['images'][number]>> {
  const answer = await dispatch(createHandlers(services), 'library:open', { folder }, { emit: () => {} });
  if (!answer.ok) throw new Error(answer.error.message);
  return new Map((answer.value as LibraryOpenResponse).images.map((i) => [i.name, i]));
}

async function denoiseAll(services: ApiServices, files: string[]): Promise<void> {
  let finished!: () => void;
  const done = new Promise<void>((r) => (finished = r));
  const context: RequestContext = { emit: (event) => event === 'job:done' && finished() };
  const started = await dispatch(createHandlers(services), 'denoise:start', { files }, context);
  expect(started.ok).toBe(true);
  await done;
}

describe('a failed photo after a restart', () => {
  it('is listed with the reason its denoise failed, until it changes', async () => {
    const first = await host();
    const before = await open(first);
    expect(before.get('cut.jpg')?.lastFailure).toBeUndefined();
    await denoiseAll(first, [join(folder, 'good.jpg'), join(folder, 'cut.jpg')]);
    await first.engine?.client.dispose();

    const again = await open(await host());
    expect(again.get('good.jpg')).toMatchObject({ denoisedCopy: join(folder, 'denoised', 'good.jpg') });
    expect(again.get('good.jpg')?.lastFailure).toBeUndefined();
    expect(again.get('cut.jpg')?.lastFailure).toMatch(/\S/);
    expect(again.get('cut.jpg')?.denoisedCopy).toBeUndefined();

    // Replaced by a whole photo: the old failure no longer applies.
    await writeFile(join(folder, 'cut.jpg'), whole);
    await utimes(join(folder, 'cut.jpg'), new Date(), new Date(Date.now() + 5000));
    const fixed = await open(await host());
    expect(fixed.get('cut.jpg')?.lastFailure).toBeUndefined();
  }, 120_000);
});

describe('FailedPhotos', () => {
  it('forgets a failure once the photo works, reads a damaged file as none, and keeps only the newest', async () => {
    const dir = join(root, 'store');
    await mkdir(dir);
    const photo = join(folder, 'good.jpg');
    const store = new FailedPhotos(dir);
    await store.record(photo, 'could not decode');
    const { mtimeMs } = await stat(photo);
    expect(await new FailedPhotos(dir).reasonFor(photo, mtimeMs)).toBe('could not decode');
    await store.clear(photo);
    expect(await new FailedPhotos(dir).reasonFor(photo, mtimeMs)).toBeUndefined();

    await writeFile(join(dir, 'failed-photos.json'), '{"failures": {"x": ');
    expect(await new FailedPhotos(dir).reasonFor('x', 0)).toBeUndefined();

    const many = new FailedPhotos(dir);
    for (let i = 0; i <= MAX_REMEMBERED_FAILURES; i++) void many.record(join(dir, `missing-${i}.jpg`), 'gone');
    await many.record(join(dir, 'last.jpg'), 'gone');
    const reread = JSON.parse(await readFile(join(dir, 'failed-photos.json'), 'utf8')) as {
      failures: Record<string, unknown>;
    };
    expect(Object.keys(reread.failures)).toHaveLength(MAX_REMEMBERED_FAILURES);
    expect(reread.failures[join(dir, 'missing-0.jpg')]).toBeUndefined();
    expect(reread.failures[join(dir, 'last.jpg')]).toBeDefined();
  });
});
