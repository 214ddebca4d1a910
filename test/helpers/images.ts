// Test images decoded to Pixels: the generated photos (test/helpers/samples.ts) for every suite, and
// the public benchmark sets beside the clone (../shared/data, never copied into the repo) for the
// opt-in data suite only (test/data, `npm run test:data`).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';
import type { Pixels } from '../../src-main/engine/io/pixels.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The benchmark sets (set12, bsd68, cbsd68, train400, bsds-color-train, polyu-dev): the data suite's only. */
export const dataDir = path.resolve(repoRoot, '../shared/data');

/** A crop of an image (a generated photo, or a file of the data suite's) as 8-bit Pixels with 1 (grey), 3 (RGB) or 4 (RGBA) channels. */
export async function cropPixels(
  image: Sharp | string,
  crop: { left: number; top: number; width: number; height: number },
  channels: 1 | 3 | 4,
): Promise<Pixels> {
  const file = typeof image === 'string' ? image : 'generated photo';
  let img = (typeof image === 'string' ? sharp(path.join(dataDir, image)) : image).extract(crop);
  img =
    channels === 1
      ? img.greyscale()
      : channels === 3
        ? img.removeAlpha().toColourspace('srgb')
        : img.removeAlpha().ensureAlpha(0.5);
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== channels) throw new Error(`${file}: decoded ${info.channels} channels, wanted ${channels}`);
  return {
    width: info.width,
    height: info.height,
    channels,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    scale: 255,
  };
}

export function toFloatPixels(p: Pixels): Pixels {
  return { ...p, data: Float32Array.from(p.data, (v) => v / p.scale), scale: 1 };
}
