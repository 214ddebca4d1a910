// The per-photo model choice: a colour photo whose EXIF camera has a model in Settings' per-camera
// defaults uses it when the job names no model; a model the job names wins; other photos keep the
// user's channel default. The camera is read from the photo's own EXIF (a JPEG made here with sharp).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDenoiseJob } from '../../src-main/api/resolve-denoise-job.js';
import { probeImage } from '../../src-main/engine/io/decode.js';
import { defaultsForPhoto } from '../../src-main/engine/jobs/photo-model.js';
import { Settings, SettingsPatch } from '../../src-shared/schemas/settings.js';

const settings = Settings.parse({
  defaultModelGrey: 'my-grey',
  defaultModelColour: 'my-colour',
  cameraModels: { 'Canon EOS 80D': 'clearframe-photo-canon-eos-80d' },
});

describe('defaultsForPhoto', () => {
  const job = resolveDenoiseJob({}, settings);

  it("gives a photo from a mapped camera that camera's model as its colour default", () => {
    expect(defaultsForPhoto(job, 'Canon EOS 80D')).toEqual({
      grey: 'my-grey',
      colour: 'clearframe-photo-canon-eos-80d',
    });
  });

  it("keeps the user's defaults for another camera, a photo without EXIF camera, and a job without mappings", () => {
    expect(defaultsForPhoto(job, 'Nikon D750')).toEqual({ grey: 'my-grey', colour: 'my-colour' });
    expect(defaultsForPhoto(job, undefined)).toEqual({ grey: 'my-grey', colour: 'my-colour' });
    expect(defaultsForPhoto(resolveDenoiseJob({}, Settings.parse({})), 'Canon EOS 80D')).toEqual({
      grey: '',
      colour: '',
    });
    // Names match exactly (as EXIF writes them), and only the map's own keys count.
    expect(defaultsForPhoto(job, 'canon eos 80d')?.colour).toBe('my-colour');
    expect(defaultsForPhoto(job, 'constructor')?.colour).toBe('my-colour');
  });

  it('lets a model the job names win over the camera (the defaults are then not used)', () => {
    const explicit = resolveDenoiseJob({ modelId: 'clearframe-photo' }, settings);
    expect(explicit.modelId).toBe('clearframe-photo');
    expect(defaultsForPhoto(explicit, 'Canon EOS 80D')).toEqual({ grey: 'my-grey', colour: 'my-colour' });
  });
});

describe('the per-camera setting', () => {
  it('defaults to none, and a patch of it replaces the whole map (how Settings undoes one)', () => {
    expect(Settings.parse({}).cameraModels).toEqual({});
    expect(SettingsPatch.parse({ cameraModels: {} })).toEqual({ cameraModels: {} });
  });

  it('refuses a path or an empty id as a camera model', () => {
    expect(Settings.safeParse({ cameraModels: { 'Canon EOS 80D': '../models/x' } }).success).toBe(false);
    expect(Settings.safeParse({ cameraModels: { 'Canon EOS 80D': '' } }).success).toBe(false);
    expect(Settings.safeParse({ cameraModels: { '': 'x' } }).success).toBe(false);
  });
});

describe("a photo's camera", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clearframe-photo-model-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is read from its EXIF when the header is probed, and absent without EXIF', async () => {
    const image = sharp({ create: { width: 32, height: 24, channels: 3, background: '#808080' } }).jpeg();
    await image
      .clone()
      .withExif({ IFD0: { Make: 'Canon', Model: 'Canon EOS 80D' } })
      .toFile(join(dir, 'exif.jpg'));
    await image.clone().toFile(join(dir, 'plain.jpg'));
    expect((await probeImage(join(dir, 'exif.jpg'))).camera).toBe('Canon EOS 80D');
    expect((await probeImage(join(dir, 'plain.jpg'))).camera).toBeUndefined();
  });
});
