// The Compare view fills the view with neighbouring tiles, each a separate denoise:preview of one
// region. Each region is denoised with real context from the photo around it, so two neighbours side
// by side must equal one region covering both: no seams at the tile edges; and a tile, at the
// photo's corner or inside it, must equal the same pixels of the whole photo denoised as a batch
// does it. A 512² camera-noise photo (simulated high-ISO pipeline, JPEG) through the shipped photo model.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Region } from '../../src-shared/schemas/denoise.js';
import { denoiseTiled } from '../../src-main/engine/infer/denoise-tiled.js';
import { decodeImage } from '../../src-main/engine/io/decode.js';
import { to8BitSamples } from '../../src-main/engine/io/pixels.js';
import { ModelCache } from '../../src-main/engine/jobs/model-cache.js';
import { PreviewRenderer } from '../../src-main/engine/jobs/preview.js';
import { ModelRegistry } from '../../src-main/engine/models/registry.js';
import { repoRoot } from '../helpers/images.js';
import { cameraPair } from '../helpers/samples.js';

let photo: string;
beforeAll(async () => {
  photo = path.join(await mkdtemp(path.join(tmpdir(), 'cf-preview-tiles-')), 'camera.jpg');
  await writeFile(photo, (await cameraPair(2)).noisy);
});
afterAll(() => rm(path.dirname(photo), { recursive: true, force: true }));
const models = new ModelCache(
  new ModelRegistry({
    shippedDir: path.join(repoRoot, 'assets/models'),
    userDir: path.join(repoRoot, 'no-user-models'),
  }),
);
const renderer = new PreviewRenderer(models);
afterAll(() => models.dispose());

async function tile(region: Region): Promise<{ original: Buffer; denoised: Buffer; width: number }> {
  const answer = await renderer.render(
    { path: photo, region, maxSide: 1024 },
    { modelId: 'clearframe-photo', strength: 1, noiseLevel: 'auto' },
  );
  expect(answer.region).toEqual(region);
  const raw = (png: string) => sharp(Buffer.from(png, 'base64')).removeAlpha().raw().toBuffer();
  return { original: await raw(answer.originalPng), denoised: await raw(answer.denoisedPng), width: answer.width };
}

/** Column `x0`…`x0 + width` of an RGB image `fullWidth` wide. */
function columns(data: Buffer, fullWidth: number, x0: number, width: number): Buffer {
  const rows = data.length / (fullWidth * 3);
  const out = Buffer.alloc(rows * width * 3);
  for (let y = 0; y < rows; y++)
    data.copy(out, y * width * 3, (y * fullWidth + x0) * 3, (y * fullWidth + x0 + width) * 3);
  return out;
}

describe('preview tiles', () => {
  it('two neighbouring tiles equal one region covering both (no seam), and are denoised', async () => {
    const left = await tile({ x: 128, y: 128, width: 128, height: 128 });
    const right = await tile({ x: 256, y: 128, width: 128, height: 128 });
    const both = await tile({ x: 128, y: 128, width: 256, height: 128 });
    let worst = 0;
    let sum = 0;
    for (const [part, x0] of [
      [left, 0],
      [right, 128],
    ] as const) {
      const reference = columns(both.denoised, 256, x0, 128);
      for (let i = 0; i < reference.length; i++) {
        const d = Math.abs(reference[i]! - part.denoised[i]!);
        worst = Math.max(worst, d);
        sum += d;
      }
      expect(part.original.equals(columns(both.original, 256, x0, 128))).toBe(true);
    }
    // Float rounding in different tile shapes only: a seam would differ by several levels along the edge.
    expect(worst).toBeLessThanOrEqual(2);
    expect(sum / (2 * 128 * 128 * 3)).toBeLessThan(0.05);
    let changed = 0;
    for (let i = 0; i < both.original.length; i++) changed += Math.abs(both.original[i]! - both.denoised[i]!);
    expect(changed / both.original.length).toBeGreaterThan(1);
  }, 120_000);

  it('a tile equals the same pixels of the whole photo denoised as a batch does (at the corner and inside)', async () => {
    const { pixels } = await decodeImage(photo);
    const { model } = await models.get('clearframe-photo', 3);
    const answer = await renderer.render(
      { path: photo, region: { x: 0, y: 0, width: 8, height: 8 }, maxSide: 1024 },
      { modelId: 'clearframe-photo', strength: 1, noiseLevel: 'auto' },
    );
    const whole = to8BitSamples(await denoiseTiled(pixels, model, { noiseLevel: answer.noiseLevel! }));
    for (const region of [
      { x: 0, y: 0, width: 256, height: 256 },
      { x: 256, y: 0, width: 256, height: 256 },
      { x: 128, y: 256, width: 256, height: 256 },
    ]) {
      const part = await tile(region);
      let worst = 0;
      for (let y = 0; y < region.height; y++)
        for (let x = 0; x < region.width * 3; x++) {
          const batch = whole[((region.y + y) * pixels.width + region.x) * 3 + x]!;
          worst = Math.max(worst, Math.abs(batch - part.denoised[y * region.width * 3 + x]!));
        }
      expect(worst, JSON.stringify(region)).toBeLessThanOrEqual(3);
    }
  }, 180_000);
});
