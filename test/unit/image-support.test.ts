// 32-bit TIFFs (float 0–1, float 0–255, uint32) are refused with a specific message everywhere they
// could otherwise become a silently wrong picture: the decoder, the library listing and thumbnails.
// A multi-page TIFF and a CMYK photo are processed, with a warning on the result saying how.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../src-main/engine/io/decode.js';
import { denoiseFile } from '../../src-main/engine/jobs/denoise-file.js';
import { ModelCache } from '../../src-main/engine/jobs/model-cache.js';
import { describeImage } from '../../src-main/engine/library/scan-folder.js';
import { ThumbnailCache } from '../../src-main/engine/library/thumbnails.js';
import { ModelRegistry } from '../../src-main/engine/models/registry.js';
import { handMadeTiff } from '../../scripts/make-bad-corpus.js';
import { colourPhoto } from '../helpers/samples.js';
import { testCard, writeRandomModelFolder } from '../helpers/model-fixtures.js';

let root: string;
let models: ModelCache;
const photo = (name: string): string => join(root, 'photos', name);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-support-'));
  await mkdir(join(root, 'photos'));
  await writeFile(photo('float01.tif'), handMadeTiff(40, 24, 'float32', 1));
  await writeFile(photo('float255.tif'), handMadeTiff(40, 24, 'float32', 2, 255));
  await writeFile(photo('uint32.tif'), handMadeTiff(40, 24, 'uint32', 3));
  const crop = (await colourPhoto(0)).extract({ left: 0, top: 0, width: 32, height: 24 });
  const page = await crop.clone().raw().toBuffer();
  await sharp(Buffer.concat([page, page, page]), { raw: { width: 32, height: 72, channels: 3, pageHeight: 24 } })
    .tiff()
    .toFile(photo('pages.tif'));
  await crop.clone().toColourspace('cmyk').jpeg().toFile(photo('cmyk.jpg'));
  await writeRandomModelFolder(join(root, 'shipped', 'grey'), testCard({ id: 'grey' }));
  models = new ModelCache(new ModelRegistry({ shippedDir: join(root, 'shipped'), userDir: join(root, 'user') }));
});

afterAll(async () => {
  await models.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('32-bit TIFFs', () => {
  it.each([
    ['float01.tif', /float01\.tif: 32-bit floating-point samples are not supported.*16-bit/],
    ['float255.tif', /float255\.tif: 32-bit floating-point samples are not supported/],
    ['uint32.tif', /uint32\.tif: 32-bit integer samples are not supported/],
  ])('%s is refused by the decoder, the library and thumbnails', async (name, message) => {
    await expect(decodeImage(photo(name))).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(message),
    });
    expect(await describeImage(photo(name), join(root, 'photos'))).toEqual({
      path: photo(name),
      reason: expect.stringMatching(/32-bit .*not supported/),
    });
    await expect(new ThumbnailCache(join(root, 'thumbs')).get(photo(name), 64)).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/32-bit .*not supported/),
    });
  });
});

describe('multi-page and CMYK', () => {
  it('a 3-page TIFF: page 1 is denoised, and the result says so', async () => {
    const { pixels, info } = await decodeImage(photo('pages.tif'));
    expect([pixels.width, pixels.height]).toEqual([32, 24]);
    expect(info.warnings).toEqual(['Only page 1 of 3 is processed.']);
    const result = await denoiseFile(photo('pages.tif'), models, { strength: 1, modelId: 'grey' });
    expect(result.warning).toBe('Only page 1 of 3 is processed.');
    expect(await readdir(join(root, 'photos', 'denoised'))).toContain('pages.tif');
  });

  it('a CMYK JPEG: converted for denoising, and the result says so', async () => {
    const result = await denoiseFile(photo('cmyk.jpg'), models, { strength: 1, modelId: 'grey' });
    expect(result.warning).toMatch(/CMYK photo was converted to RGB/);
  });

  it('an ordinary RGB photo carries no warning', async () => {
    await (await colourPhoto(0)).extract({ left: 0, top: 0, width: 32, height: 24 }).png().toFile(photo('plain.png'));
    const result = await denoiseFile(photo('plain.png'), models, { strength: 1, modelId: 'grey' });
    expect(result.warning).toBeUndefined();
  });
});

describe('EXIF that an output format cannot hold', () => {
  const exif = { IFD0: { Make: 'TestCam', Model: 'X1' } };

  it('an 8-bit TIFF copy of a photo with EXIF: the result says the copy has none, and how to keep it', async () => {
    await (
      await colourPhoto(0)
    )
      .extract({ left: 0, top: 0, width: 32, height: 24 })
      .jpeg()
      .withExif(exif)
      .toFile(photo('camera.jpg'));
    const result = await denoiseFile(photo('camera.jpg'), models, {
      strength: 1,
      modelId: 'grey',
      outputFormat: 'tiff',
      outputPattern: 'tiff-out/{name}.{ext}',
    });
    expect((await sharp(result.outputPath!).metadata()).exif).toBeUndefined(); // libvips writes no EXIF into a TIFF
    expect(result.warning).toMatch(/The TIFF copy has no EXIF data .*Choose JPEG, PNG or WebP output to keep it/);
  });

  it('a PNG copy keeps the EXIF and says nothing; with metadata stripped, a TIFF copy says nothing', async () => {
    const png = await denoiseFile(photo('camera.jpg'), models, {
      strength: 1,
      modelId: 'grey',
      outputFormat: 'png',
      outputPattern: 'png-out/{name}.{ext}',
    });
    expect((await sharp(png.outputPath!).metadata()).exif?.toString('latin1')).toContain('TestCam');
    expect(png.warning).toBeUndefined();
    const stripped = await denoiseFile(photo('camera.jpg'), models, {
      strength: 1,
      modelId: 'grey',
      outputFormat: 'tiff',
      outputPattern: 'strip-out/{name}.{ext}',
      keepMetadata: false,
    });
    expect(stripped.warning).toBeUndefined();
  });
});
