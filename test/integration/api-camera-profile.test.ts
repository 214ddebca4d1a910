// Train → Your camera through the API dispatcher and a real engine process (the shipped photo model
// as the reference): train:profile-camera on generated JPEGs carrying EXIF camera and ISO groups the
// photos by camera, lists their ISOs, measures a noise-level curve per channel, picks the sharp
// low-ISO photos to learn from and streams its progress; a folder without photos, one outside the
// opened folders, and a camera with too few clean photos are refused with what to do.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllowedFolders } from '../../src-main/access/allowed-folders.js';
import { createHandlers, type ApiServices } from '../../src-main/api/index.js';
import { dispatch } from '../../src-main/api/dispatch.js';
import { createEngineServices } from '../../src-main/engine-client/engine-services.js';
import { shippedModelsDir } from '../../src-main/resources.js';
import { openConfSettings } from '../../src-main/settings/conf-settings.js';
import type { EventName, EventPayload } from '../../src-shared/contract.js';
import type { CameraProfileResponse } from '../../src-shared/schemas/camera.js';
import { writeCameraFolder } from '../helpers/camera-photos.js';

let root: string;
let services: ApiServices;
const camera = { make: 'Canon', model: 'Canon EOS 80D' };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-camera-api-'));
  await writeCameraFolder(join(root, 'photos'), { camera, noisy: 4, clean: 8, withoutExif: 1 });
  await writeCameraFolder(join(root, 'few-clean'), { camera, noisy: 2, clean: 2 });
  await mkdir(join(root, 'empty'));
  const data = join(root, 'data');
  services = {
    host: 'browser',
    settings: openConfSettings(data),
    access: new AllowedFolders(),
    engine: createEngineServices(data, { shippedDir: shippedModelsDir(), thumbnailDir: join(data, 'thumbs') }),
  };
  // Only the folder trained on below is open already; profiling a folder opens it, as the library does.
  await services.access.allow(join(root, 'few-clean'));
}, 120_000);

afterAll(async () => {
  await services.engine?.client.dispose();
  await rm(root, { recursive: true, force: true });
});

async function call(
  channel: string,
  request: unknown,
): Promise<{ result: Awaited<ReturnType<typeof dispatch>>; events: Array<{ event: EventName; payload: unknown }> }> {
  const events: Array<{ event: EventName; payload: unknown }> = [];
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>): void => void events.push({ event, payload });
  const result = await dispatch(createHandlers(services), channel, request, { emit });
  return { result, events };
}

describe('train:profile-camera', () => {
  it('finds the camera, its ISOs, its noise-level curve and its clean photos, with progress per photo', async () => {
    const { result, events } = await call('train:profile-camera', { folder: join(root, 'photos') });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const profile = (result as { value: CameraProfileResponse }).value;
    expect(profile.cameras.map((c) => [c.camera, c.photos])).toEqual([
      ['Canon EOS 80D', 12],
      ['Unknown camera', 1],
    ]);
    const canon = profile.cameras[0]!;
    expect(canon.isos).toEqual([100, 3200, 6400]);
    expect(canon.jpegQuality).toBeGreaterThanOrEqual(90);
    // A curve of noise RMS against brightness, three channels per point, all of it measured noise.
    expect(canon.curve.length).toBeGreaterThan(1);
    for (const point of canon.curve) for (const r of point.rms) expect(r).toBeGreaterThan(0);
    expect(canon.overallRms).toBeGreaterThan(0.5);
    // The eight sharp ISO 100 photos are picked; the noisy ones are left out for their ISO, the plain one for its missing EXIF.
    expect(canon.clean.map((p) => p.file)).toEqual(Array.from({ length: 8 }, (_, n) => `clean-0${n}.jpg`));
    expect(canon.clean.every((p) => p.iso === 100)).toBe(true);
    expect(profile.notClean.map((p) => p.reason).sort()).toEqual([
      'ISO 3200',
      'ISO 3200',
      'ISO 6400',
      'ISO 6400',
      'no ISO in its EXIF',
    ]);
    expect(profile.cameras[1]!.clean).toEqual([]);
    expect(profile.cleanNeeded).toBe(8);
    expect(profile.fitSeconds.quick).toBeGreaterThan(0);
    expect(profile.fitSeconds.thorough).toBeGreaterThan(profile.fitSeconds.quick);
    const progress = events
      .filter((e) => e.event === 'train:camera-progress')
      .map((e) => e.payload as { stage: string; done: number; total: number });
    expect(progress.length).toBe(13);
    expect(progress.at(-1)).toMatchObject({ stage: 'profile', done: 13, total: 13 });
  }, 300_000);

  it('refuses a folder without photos, a path that is not a full one, and training on a folder never opened', async () => {
    const empty = await call('train:profile-camera', { folder: join(root, 'empty') });
    expect(empty.result).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: expect.stringMatching(/no photos to profile/) },
    });
    const relative = await call('train:profile-camera', { folder: 'photos' });
    expect(relative.result).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: expect.stringMatching(/use a full path/) },
    });
    const unopened = await call('train:start-camera', { folder: tmpdir(), camera: 'Canon EOS 80D' });
    expect(unopened.result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses to train a camera with too few clean photos before fitting, saying how many and what to do', async () => {
    const { result, events } = await call('train:start-camera', {
      folder: join(root, 'few-clean'),
      camera: 'Canon EOS 80D',
      fit: 'quick',
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-request',
        message: expect.stringMatching(/Only 2 photo\(s\).*8 are needed.*folder of clean photos/),
      },
    });
    expect(events.some((e) => (e.payload as { stage?: string }).stage === 'fit')).toBe(false);
  }, 300_000);
});
