// The per-camera default through the API: with Settings' cameraModels mapping "Canon EOS 80D" to a
// model, a batch that names no model denoises that camera's photos (by their EXIF) with it and other
// photos with the colour default; a batch that names a model uses it for every photo; the preview
// follows the same rule. Tiny random colour models stand in for the shipped ones (the choice is
// what is tested; the denoise itself is real).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type RequestContext } from '../../src-main/api/dispatch.js';
import { createHandlers, type ApiServices } from '../../src-main/api/index.js';
import type { EventName, EventPayload } from '../../src-shared/contract.js';
import type { JobFileDone } from '../../src-shared/schemas/denoise.js';
import { browserHostServices } from '../helpers/api-services.js';
import { testCard, writeRandomModelFolder } from '../helpers/model-fixtures.js';

let root: string;
let services: ApiServices;
const done: JobFileDone[] = [];
let jobDone: (() => void) | undefined;
const context: RequestContext = {
  emit<E extends EventName>(event: E, payload: EventPayload<E>) {
    if (event === 'job:file-done') done.push(payload as JobFileDone);
    if (event === 'job:done') jobDone?.();
  },
};
const photo = (name: string) => join(root, 'photos', name);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-camera-default-'));
  for (const id of ['colour-default', 'camera-model'])
    await writeRandomModelFolder(join(root, 'shipped', id), testCard({ id, channels: 3 }));
  await mkdir(join(root, 'photos'));
  const image = sharp({ create: { width: 64, height: 48, channels: 3, background: '#7a8a6a' } }).jpeg();
  await image
    .clone()
    .withExif({ IFD0: { Make: 'Canon', Model: 'Canon EOS 80D' } })
    .toFile(photo('canon.jpg'));
  await image
    .clone()
    .withExif({ IFD0: { Make: 'NIKON CORPORATION', Model: 'NIKON D750' } })
    .toFile(photo('nikon.jpg'));
  await image.clone().toFile(photo('plain.jpg'));
  services = await browserHostServices(root, [join(root, 'photos')]);
  services.settings.set({ defaultModelColour: 'colour-default', cameraModels: { 'Canon EOS 80D': 'camera-model' } });
}, 120_000);

afterAll(async () => {
  await services.engine?.client.dispose();
  await rm(root, { recursive: true, force: true });
});

/** Denoises `files` as one batch (another copy each time); each file's model. */
async function modelsUsed(files: string[], modelId?: string): Promise<Record<string, string | undefined>> {
  const finished = new Promise<void>((r) => (jobDone = r));
  const res = await dispatch(
    createHandlers(services),
    'denoise:start',
    { files, ifCopyExists: 'write-another', ...(modelId ? { modelId } : {}) },
    context,
  );
  if (!res.ok) throw new Error(res.error.message);
  await finished;
  const { jobId } = res.value as { jobId: string };
  return Object.fromEntries(
    done.filter((d) => d.jobId === jobId).map((d) => [d.path.split(/[\\/]/).pop(), d.error?.message ?? d.modelId]),
  );
}

describe("Settings' per-camera defaults", () => {
  it("denoise a mapped camera's photos with its model, the others with the colour default", async () => {
    expect(await modelsUsed([photo('canon.jpg'), photo('nikon.jpg'), photo('plain.jpg')])).toEqual({
      'canon.jpg': 'camera-model',
      'nikon.jpg': 'colour-default',
      'plain.jpg': 'colour-default',
    });
  }, 120_000);

  it('give way to a model the batch names', async () => {
    expect(await modelsUsed([photo('canon.jpg'), photo('plain.jpg')], 'colour-default')).toEqual({
      'canon.jpg': 'colour-default',
      'plain.jpg': 'colour-default',
    });
  }, 120_000);

  it('apply to the preview too, and stop applying once the mapping is removed', async () => {
    const preview = async () => {
      const res = await dispatch(
        createHandlers(services),
        'denoise:preview',
        { path: photo('canon.jpg'), strength: 1, maxSide: 32 },
        context,
      );
      if (!res.ok) throw new Error(res.error.message);
      return (res.value as { modelId: string }).modelId;
    };
    expect(await preview()).toBe('camera-model');
    services.settings.set({ cameraModels: {} });
    expect(await preview()).toBe('colour-default');
    expect(await modelsUsed([photo('canon.jpg')])).toEqual({ 'canon.jpg': 'colour-default' });
  }, 120_000);
});
