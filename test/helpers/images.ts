// Real test images from the shared data folder (never copied into the repo), decoded to Pixels.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Pixels } from '../../src-main/engine/io/pixels.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const dataDir = path.resolve(repoRoot, '../shared/data');

/** A crop of a real image as 8-bit Pixels with the given channel count (1 grey, 3 RGB, 4 RGBA). */
export async function realPixels(file: string, crop: { left: number; top: number; width: number; height: number }, channels: 1 | 3 | 4): Promise<Pixels> {
  let img = sharp(path.join(dataDir, file)).extract(crop);
  img = channels === 1 ? img.greyscale() : channels === 3 ? img.removeAlpha().toColourspace('srgb') : img.removeAlpha().ensureAlpha(0.5);
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== channels) throw new Error(`${file}: decoded ${info.channels} channels, wanted ${channels}`);
  return { width: info.width, height: info.height, channels, data: new Uint8Array(data.buffer, data.byteOffset, data.length), scale: 255 };
}

export function toFloatPixels(p: Pixels): Pixels {
  return { ...p, data: Float32Array.from(p.data, (v) => v / p.scale), scale: 1 };
}
