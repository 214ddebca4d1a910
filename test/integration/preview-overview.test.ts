// The Compare view's overview of a big photo: the whole photo reduced and denoised. Reducing a photo
// averages its noise down, so the model must be told the reduced photo's level — measured on it on
// Auto, or the manual level scaled by how much the reduction lowered the measured noise — else it
// would smooth the reduced photo for noise it no longer has. Generated photo, shipped photo model.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelCache } from '../../src-main/engine/jobs/model-cache.js';
import { levelWhenReduced, PreviewRenderer } from '../../src-main/engine/jobs/preview.js';
import { ModelRegistry } from '../../src-main/engine/models/registry.js';
import { writeGeneratedPhoto } from '../helpers/generated-photo.js';
import { repoRoot } from '../helpers/images.js';

const models = new ModelCache(
  new ModelRegistry({
    shippedDir: path.join(repoRoot, 'assets/models'),
    userDir: path.join(repoRoot, 'no-user-models'),
  }),
);
const renderer = new PreviewRenderer(models);
let dir: string;
let photo: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'clearframe-overview-'));
  photo = await writeGeneratedPhoto(path.join(dir, 'noisy.jpg'), { width: 1024, height: 768, sigma: 20 });
});
afterAll(async () => {
  await models.dispose();
  await rm(dir, { recursive: true, force: true });
});

const job = (noiseLevel: number | 'auto') => ({ modelId: 'clearframe-photo', strength: 1, noiseLevel });

describe('levelWhenReduced', () => {
  it('scales a level by the measured ratio, between the reduction factor (white noise) and 1', () => {
    expect(levelWhenReduced(20, 10, 5, 0.25)).toBe(10);
    expect(levelWhenReduced(20, 10, 1, 0.25)).toBe(5); // never below white noise's averaging
    expect(levelWhenReduced(20, 10, 12, 0.25)).toBe(20); // texture measured as noise: never above the level
    expect(levelWhenReduced(20, 0, 0, 0.25)).toBe(20);
  });
});

describe('the overview of a photo', () => {
  it('is the whole photo reduced, denoised at the reduced photo’s level on Auto and for a manual level', async () => {
    const tile = await renderer.render(
      { path: photo, region: { x: 0, y: 0, width: 256, height: 256 }, maxSide: 1024 },
      job('auto'),
    );
    const auto = await renderer.render({ path: photo, maxSide: 256 }, job('auto'));
    expect([auto.width, auto.height]).toEqual([256, 192]);
    expect(auto.region).toEqual({ x: 0, y: 0, width: 1024, height: 768 });
    // The full-size noise (σ 20, softened by JPEG) reads about 15; reduced 4× it reads far less.
    expect(tile.noiseLevel).toBeGreaterThan(10);
    expect(auto.noiseLevel).toBeLessThan(tile.noiseLevel! / 2);

    const manual = await renderer.render({ path: photo, maxSide: 256 }, job(20));
    expect(manual.noiseLevel).toBeLessThan(10);
    expect(manual.noiseLevel).toBeGreaterThanOrEqual(5);
    // A full-size region keeps the manual level as it is.
    const region = await renderer.render(
      { path: photo, region: { x: 0, y: 0, width: 256, height: 256 }, maxSide: 1024 },
      job(20),
    );
    expect(region.noiseLevel).toBe(20);
  }, 120_000);
});
