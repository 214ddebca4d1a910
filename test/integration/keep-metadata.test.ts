// "Keep metadata: off" (the setting, and CLI --strip-metadata) must leave the GPS position and the
// photographer's name out of the denoised copy, while the ICC profile stays so colours do not
// change. A real JPEG carrying both goes through the api (settings → job → engine process →
// encoder) and through the CLI, and the outputs' EXIF is parsed back.
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dispatch, type RequestContext } from '../../src-main/api/dispatch.js';
import { createHandlers, type ApiServices } from '../../src-main/api/index.js';
import { denoiseCommand } from '../../src-main/cli/denoise.js';
import type { EventName, EventPayload } from '../../src-shared/contract.js';
import type { JobFileDone } from '../../src-shared/schemas/denoise.js';
import { readExif, TAG_ARTIST, TAG_GPS_IFD } from '../helpers/exif.js';
import { browserHostServices } from '../helpers/api-services.js';
import { colourPhoto } from '../helpers/samples.js';
import { testCard, writeRandomModelFolder } from '../helpers/model-fixtures.js';

let root: string;
let services: ApiServices;
let photo: string;
let originalIcc: Buffer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-meta-'));
  await writeRandomModelFolder(join(root, 'shipped', 'grey'), testCard({ id: 'grey' }));
  await mkdir(join(root, 'photos'));
  photo = join(root, 'photos', 'trip.jpg');
  await (
    await colourPhoto(0)
  )
    .extract({ left: 0, top: 0, width: 96, height: 64 })
    .withIccProfile('p3')
    .withExif({
      IFD0: { Artist: 'Jane Secret', Copyright: 'Jane Secret 2026' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '51/1 30/1 3230/100',
        GPSLongitudeRef: 'W',
        GPSLongitude: '0/1 7/1 4366/100',
      },
    })
    .jpeg()
    .toFile(photo);
  const meta = await sharp(photo).metadata();
  originalIcc = meta.icc!;
  // The fixture itself must carry what the test looks for, or the assertions below prove nothing.
  const exif = readExif(meta.exif);
  expect(exif.ifd0.get(TAG_ARTIST)).toBe('Jane Secret');
  expect(exif.gpsTags.length).toBeGreaterThan(0);
  expect(originalIcc.length).toBeGreaterThan(0);
  services = await browserHostServices(root, [join(root, 'photos')]);
});

afterAll(async () => {
  await services.engine?.client.dispose();
  await rm(root, { recursive: true, force: true });
});

async function denoiseThroughApi(folder: string): Promise<string> {
  services.settings.set({ outputFolderPattern: folder });
  let done!: (e: JobFileDone) => void;
  const fileDone = new Promise<JobFileDone>((r) => (done = r));
  const context: RequestContext = {
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      if (event === 'job:file-done') done(payload as JobFileDone);
    },
  };
  const res = await dispatch(createHandlers(services), 'denoise:start', { files: [photo] }, context);
  expect(res.ok).toBe(true);
  const result = await fileDone;
  expect(result.error).toBeUndefined();
  return result.outputPath!;
}

describe('keep metadata', () => {
  it('on (the default): EXIF with GPS and Artist is carried over', async () => {
    const meta = await sharp(await denoiseThroughApi('kept')).metadata();
    const exif = readExif(meta.exif);
    expect(exif.ifd0.get(TAG_ARTIST)).toBe('Jane Secret');
    expect(exif.ifd0.has(TAG_GPS_IFD)).toBe(true);
    expect(meta.icc?.equals(originalIcc)).toBe(true);
  });

  it('off in the settings: GPS and Artist are gone, the ICC profile is the original one', async () => {
    services.settings.set({ keepMetadata: false });
    const output = await denoiseThroughApi('stripped');
    const meta = await sharp(output).metadata();
    const exif = readExif(meta.exif);
    expect(exif.ifd0.has(TAG_ARTIST)).toBe(false);
    expect(exif.ifd0.has(TAG_GPS_IFD)).toBe(false);
    expect(exif.gpsTags).toEqual([]);
    expect(meta.exif?.includes('Jane Secret') ?? false).toBe(false);
    expect(meta.icc?.equals(originalIcc)).toBe(true);
    services.settings.set({ keepMetadata: true });
  });

  it('CLI --strip-metadata does the same', async () => {
    const out = join(root, 'cli-out');
    vi.stubEnv('CLEARFRAME_DATA_DIR', join(root, 'cli-data'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(
        await denoiseCommand([photo, '--out', out, '--model', join(root, 'shipped', 'grey'), '--strip-metadata']),
      ).toBe(0);
    } finally {
      log.mockRestore();
      err.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(await readdir(out)).toEqual(['trip.jpg']);
    const meta = await sharp(join(out, 'trip.jpg')).metadata();
    const exif = readExif(meta.exif);
    expect(exif.ifd0.has(TAG_ARTIST)).toBe(false);
    expect(exif.gpsTags).toEqual([]);
    expect(meta.icc?.equals(originalIcc)).toBe(true);
  });
});
