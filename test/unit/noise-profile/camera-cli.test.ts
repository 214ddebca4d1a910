// The CLI's camera hooks: `--noise camera-profile --profile FILE` takes a recipe file (or refuses
// what is not one), and the clean photos `--preset camera` learns from are the library's sharp
// low-ISO photos by EXIF (generated JPEGs: a sharp and a blurred scene at ISO 100 and 3200).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromArgs } from '../../../src-main/cli/train.js';
import { pickCleanPhotos, sharpness } from '../../../src-main/engine/noise-profile/pick-clean.js';
import type { CameraProfileNoise } from '../../../src-shared/schemas/train.js';

let dir: string;
const recipe: CameraProfileNoise = {
  type: 'camera-profile',
  camera: 'Canon EOS 80D',
  shot: 6e-4,
  read: 3e-6,
  spread: 1.4,
  lumaSmoothing: 0.4,
  chromaSmoothing: 2.1,
  jpegQuality: 88,
  chroma420: true,
};

/** A 256² checkerboard-and-gradient scene as a JPEG with EXIF camera and ISO, blurred when asked. */
async function photo(file: string, iso: number, blur: boolean): Promise<void> {
  const side = 256;
  const data = Buffer.alloc(side * side * 3);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      data.fill(((x >> 3) + (y >> 3)) % 2 ? 200 : 40 + (x >> 2), (y * side + x) * 3, (y * side + x + 1) * 3);
  let image = sharp(data, { raw: { width: side, height: side, channels: 3 } });
  if (blur) image = image.blur(6);
  await image
    .jpeg({ quality: 92 })
    .withExif({ IFD0: { Make: 'Canon', Model: 'Canon EOS 80D' }, IFD2: { ISOSpeedRatings: String(iso) } })
    .toFile(path.join(dir, file));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'clearframe-camera-cli-'));
  await photo('sharp-100.jpg', 100, false);
  await photo('soft-100.jpg', 100, true);
  await photo('sharp-3200.jpg', 3200, false);
  await writeFile(path.join(dir, 'recipe.json'), JSON.stringify({ noise: recipe, camera: 'Canon EOS 80D' }));
  await writeFile(path.join(dir, 'not-a-recipe.json'), JSON.stringify({ noise: { type: 'camera' } }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--noise camera-profile', () => {
  it('trains on the recipe the file holds', async () => {
    const parsed = await configFromArgs([
      '--data',
      'photos',
      '--noise',
      'camera-profile',
      '--profile',
      path.join(dir, 'recipe.json'),
      '--out',
      'run',
    ]);
    expect(parsed?.config.noise).toEqual(recipe);
  });

  it('refuses a missing --profile and a file that holds no camera-profile recipe', async () => {
    await expect(configFromArgs(['--data', 'photos', '--noise', 'camera-profile', '--out', 'run'])).rejects.toThrow(
      /needs --profile FILE/,
    );
    await expect(
      configFromArgs([
        '--data',
        'photos',
        '--noise',
        'camera-profile',
        '--profile',
        path.join(dir, 'not-a-recipe.json'),
        '--out',
        'run',
      ]),
    ).rejects.toThrow(/not a camera-profile recipe/);
    await expect(
      configFromArgs([
        '--data',
        'photos',
        '--noise',
        'camera-profile',
        '--profile',
        path.join(dir, 'absent.json'),
        '--out',
        'run',
      ]),
    ).rejects.toThrow(/Cannot read/);
  });
});

describe('pickCleanPhotos', () => {
  it('keeps the sharp ISO 100 photo and says why the soft one and the ISO 3200 one are left out', async () => {
    expect(await sharpness(path.join(dir, 'sharp-100.jpg'))).toBeGreaterThan(
      4 * (await sharpness(path.join(dir, 'soft-100.jpg'))),
    );
    const { picked, left } = await pickCleanPhotos(dir);
    expect(picked.map((p) => [p.file, p.camera, p.iso])).toEqual([['sharp-100.jpg', 'Canon EOS 80D', 100]]);
    expect(Object.fromEntries(left.map((l) => [l.file, l.reason]))).toEqual({
      'sharp-3200.jpg': 'ISO 3200',
      'soft-100.jpg': expect.stringMatching(/^soft/),
    });
    expect((await pickCleanPhotos(dir, 'Nikon D750')).picked).toEqual([]);
  });
});
