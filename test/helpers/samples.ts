// Test photos the default suite makes itself, so it passes on a clone with nothing beside it: every
// one is a view of the test card (test/helpers/test-card.ts: text, gratings, gradients, patches, a
// Siemens star), rendered at the size asked, moved, mirrored and (in colour) hue-shifted by its
// number so no two are alike. Same number, same pixels. The benchmark photos (../shared/data) are
// read only by the opt-in data suite (`npm run test:data`).
//   grey:   'NN' like Set12: 01–07 are 256², 08–12 are 512², one channel.
//   colour: RGB, 481×321 like a CBSD68 photo.
//   camera: a noisy/clean pair of a scene of soft shapes (cameraSceneSvg): the simulated camera pipeline's noise (shot and
//           read noise through demosaicing, colour matrix and tone curve; train/camera-noise.ts) at a
//           high ISO, saved as JPEG like a camera's output; the clean one is the truth.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';
import { cameraNoiseLinear, sampleCameraParams } from '../../src-main/engine/train/camera-noise.js';
import { SeededRandom } from '../../src-main/engine/util/rng.js';
import { CARD_HEIGHT, CARD_WIDTH, testCardSvg } from './test-card.js';

/** The twelve grey photos' names, as Set12 numbers its files. */
export const GREY_NAMES = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'] as const;

/** `width`×`height` of the card, view `n`: zoomed 1–1.6×, shifted, mirrored by n. */
async function cardView(width: number, height: number, n: number): Promise<Sharp> {
  const zoom = Math.max(width / CARD_WIDTH, height / CARD_HEIGHT) * (1 + 0.2 * (n % 4));
  const [w, h] = [Math.ceil(CARD_WIDTH * zoom), Math.ceil(CARD_HEIGHT * zoom)];
  const left = (n * 37) % (w - width + 1);
  const top = (n * 23) % (h - height + 1);
  const { data, info } = await sharp(Buffer.from(testCardSvg(w, h)))
    .removeAlpha()
    .extract({ left, top, width, height })
    .flop(n % 2 === 1)
    .flip(n % 4 >= 2)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
}

/** Grey photo `name` ('01'–'12'), 8-bit one channel; encode it as you need (`.png()`, `.jpeg()`). */
export async function greyPhoto(name: string): Promise<Sharp> {
  const n = Number(name);
  if (!Number.isInteger(n) || n < 1) throw new Error(`grey photo '${name}': want '01'–'12'`);
  const side = n <= 7 ? 256 : 512;
  const view = await cardView(side, side, n);
  const { data, info } = await view.greyscale().raw().toBuffer({ resolveWithObject: true });
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).toColourspace('b-w');
}

/** Colour photo `n` (any integer ≥ 0), 8-bit sRGB, 481×321 (or another size). */
export async function colourPhoto(n: number, size = { width: 481, height: 321 }): Promise<Sharp> {
  const view = await cardView(size.width, size.height, n + 1);
  const { data, info } = await view
    .modulate({ hue: (n * 47) % 360 })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } });
}

/**
 * What camera photo `n` shows: a scene of soft shapes, as photos mostly are (the test card's 1-px
 * gratings and checkers would outweigh the noise being measured): a two-colour gradient with 14
 * translucent discs and rounded panels of seeded colours, sizes and places, and one line of text.
 */
function cameraSceneSvg(n: number, width: number, height: number): string {
  const rng = new SeededRandom(500 + n);
  const colour = (): string =>
    `hsl(${Math.round(rng.uniform(0, 360))},${Math.round(rng.uniform(20, 70))}%,${Math.round(rng.uniform(25, 75))}%)`;
  const shapes = Array.from({ length: 14 }, (_, i) => {
    const [x, y, r] = [rng.uniform(0, width), rng.uniform(0, height), rng.uniform(0.04, 0.2) * width];
    return i % 2 === 0
      ? `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r.toFixed(1)}" fill="${colour()}" fill-opacity="0.8"/>`
      : `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(1.6 * r).toFixed(1)}" height="${r.toFixed(1)}" rx="${(r / 4).toFixed(1)}" fill="${colour()}" fill-opacity="0.8"/>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="bg" x1="0" x2="1" y1="0" y2="1"><stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/></linearGradient></defs>
<rect width="${width}" height="${height}" fill="url(#bg)"/>${shapes.join('')}
<text x="${(0.05 * width).toFixed(0)}" y="${(0.9 * height).toFixed(0)}" font-family="sans-serif" font-size="${Math.round(height / 12)}" fill="#222">Clearframe ${n}</text>
</svg>`;
}

/**
 * Camera pair `n`: the colour photo with high-ISO camera noise (seeded by n), both as JPEG bytes
 * (quality 92 for the noisy one as a camera writes it, 98 for the truth).
 */
export async function cameraPair(
  n: number,
  size = { width: 512, height: 512 },
): Promise<{ noisy: Buffer; clean: Buffer }> {
  const clean = await sharp(Buffer.from(cameraSceneSvg(n, size.width, size.height)))
    .removeAlpha()
    .blur(1)
    .raw()
    .toBuffer();
  const rng = new SeededRandom(1000 + n);
  // A full-frame camera at ISO 3200–6400 (noisy photos at 30–33 dB; polyu-dev's are 30–39), blotchy chroma noise.
  const params = {
    ...sampleCameraParams(rng),
    shot: 0.0008 + 0.0004 * (n % 3),
    digitalGain: 1,
    lumaSmoothing: 0.3,
    chromaSmoothing: 1.5,
  };
  const noisy = cameraNoiseLinear(
    Float32Array.from(clean, (v) => v / 255),
    size.width,
    size.height,
    3,
    params,
    rng,
  );
  const raw = { raw: { width: size.width, height: size.height, channels: 3 as const } };
  return {
    noisy: await sharp(Buffer.from(Uint8Array.from(noisy, (v) => Math.round(v * 255))), raw)
      .jpeg({ quality: 92 })
      .toBuffer(),
    clean: await sharp(clean, raw).jpeg({ quality: 98 }).toBuffer(),
  };
}

/** Writes grey photos `names` (default all twelve) into `dir` as '<name>.png'; returns their paths. */
export async function writeGreyPhotos(dir: string, names: readonly string[] = GREY_NAMES): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  return Promise.all(
    names.map(async (name) => {
      const file = join(dir, `${name}.png`);
      await (await greyPhoto(name)).png().toFile(file);
      return file;
    }),
  );
}

/** Writes `count` camera pairs into `dir`/noisy and `dir`/clean (same names, as listRealPairs reads them). */
export async function writeCameraPairs(
  dir: string,
  count: number,
  size?: { width: number; height: number },
): Promise<string[]> {
  await Promise.all(['noisy', 'clean'].map((sub) => mkdir(join(dir, sub), { recursive: true })));
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    const name = `camera-${String(n).padStart(2, '0')}.jpg`;
    const pair = await cameraPair(n, size);
    await writeFile(join(dir, 'noisy', name), pair.noisy);
    await writeFile(join(dir, 'clean', name), pair.clean);
    names.push(name);
  }
  return names;
}

/** Where writeSampleFolders puts the E2E photos (ignored by git); bump the suffix when the photos change. */
export const sampleFoldersDir = join(fileURLToPath(new URL('../..', import.meta.url)), '.cache', 'test-photos-2');

/**
 * The E2E suite's photo folders under sampleFoldersDir, made once per checkout (atomically, so two
 * runs at once cannot see half of them): grey/ (the twelve grey photos), colour/ (colour-00…05.png)
 * and camera/ (8 noisy/clean camera pairs, 512²).
 */
export async function writeSampleFolders(): Promise<string> {
  if (existsSync(sampleFoldersDir)) return sampleFoldersDir;
  const scratch = `${sampleFoldersDir}.${process.pid}.tmp`;
  await rm(scratch, { recursive: true, force: true });
  await writeGreyPhotos(join(scratch, 'grey'));
  await mkdir(join(scratch, 'colour'));
  for (let n = 0; n < 6; n++)
    await (await colourPhoto(n)).png().toFile(join(scratch, 'colour', `colour-${String(n).padStart(2, '0')}.png`));
  await writeCameraPairs(join(scratch, 'camera'), 8);
  try {
    await rename(scratch, sampleFoldersDir);
  } catch (error) {
    if (!existsSync(sampleFoldersDir)) throw error; // else another run finished first: use its folders
    await rm(scratch, { recursive: true, force: true });
  }
  return sampleFoldersDir;
}
