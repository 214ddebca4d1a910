// Small photo-like images for training tests, made here with sharp (no shared data): a smooth
// gradient, a few flat discs and bars with sharp edges, and fine stripes, different for each seed,
// so a denoiser has edges to keep and flat areas to smooth, like a photo.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { SeededRandom } from '../../src-main/engine/util/rng.js';

/** One grey image of `side` pixels, 0..255, seeded. */
export function photoLikeGrey(side: number, seed: number): Uint8Array {
  const rng = new SeededRandom(seed);
  const pixels = new Uint8Array(side * side);
  const [gx, gy, base] = [rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(60, 190)];
  const discs = Array.from({ length: 4 }, () => ({
    x: rng.uniform(0, side),
    y: rng.uniform(0, side),
    r: rng.uniform(side / 10, side / 4),
    v: rng.uniform(20, 235),
  }));
  const bar = { y0: rng.uniform(0, side / 2), h: rng.uniform(side / 12, side / 5), v: rng.uniform(20, 235) };
  const stripes = { period: rng.uniform(4, 9), amp: rng.uniform(10, 30), x0: rng.uniform(side / 2, side) };
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let v = base + 50 * (gx * (x / side - 0.5) + gy * (y / side - 0.5));
      for (const d of discs) if ((x - d.x) ** 2 + (y - d.y) ** 2 < d.r * d.r) v = d.v;
      if (y >= bar.y0 && y < bar.y0 + bar.h) v = bar.v;
      if (x > stripes.x0) v += stripes.amp * Math.sin((2 * Math.PI * x) / stripes.period);
      pixels[y * side + x] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return pixels;
}

/** Writes `count` grey PNGs of `side` pixels into `folder` (created), seeds from `firstSeed` on; answers their paths. */
export async function writePhotoLikeFolder(
  folder: string,
  count: number,
  side: number,
  firstSeed: number,
): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(folder, `photo-${String(i + 1).padStart(2, '0')}.png`);
    await sharp(photoLikeGrey(side, firstSeed + i), { raw: { width: side, height: side, channels: 1 } })
      .png()
      .toFile(file);
    files.push(file);
  }
  return files;
}
