// Pure image maths of the trainer: PRNG, noise, patches and augmentation, batches, schedules.
import { describe, expect, it } from 'vitest';
import { inputAndTarget, sampleBatch, withNoiseLevel } from '../../../src-main/engine/train/batch.js';
import { holdOut } from '../../../src-main/engine/train/dataset.js';
import { addGaussian, addSaltPepper, applyNoise, clipsNoise } from '../../../src-main/engine/train/noise.js';
import { extractPatch, type Dihedral, type ImageU8 } from '../../../src-main/engine/train/patches.js';
import { SeededRandom } from '../../../src-main/engine/util/rng.js';
import { learningRate, warmupSteps } from '../../../src-main/engine/train/schedule.js';

function gradientImage(width: number, height: number, channels: number): ImageU8 {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = (y * 16 + x + c * 7) % 256;
  return { width, height, channels, data };
}

describe('SeededRandom', () => {
  it('is reproducible and resumes from its position', () => {
    const a = new SeededRandom(42);
    const first = Array.from({ length: 5 }, () => a.next());
    const resumed = new SeededRandom(a.position);
    const b = new SeededRandom(42);
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 5 }, () => resumed.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('draws normals with mean 0 and std 1', () => {
    const r = new SeededRandom(7);
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const v = r.normal();
      sum += v;
      sq += v * v;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(Math.sqrt(sq / n - (sum / n) ** 2) - 1)).toBeLessThan(0.01);
  });
});

describe('noise', () => {
  it('adds Gaussian noise of the requested σ (0–255 scale), clipped to 0..1', () => {
    const clean = new Float32Array(100_000).fill(0.5);
    const noisy = addGaussian(clean, 25, new SeededRandom(1));
    let sq = 0;
    for (let i = 0; i < clean.length; i++) sq += (noisy[i]! - 0.5) ** 2;
    expect(Math.sqrt(sq / clean.length) * 255).toBeCloseTo(25, 0);
    const saturated = addGaussian(new Float32Array(1000).fill(1), 50, new SeededRandom(2));
    expect(Math.max(...saturated)).toBeLessThanOrEqual(1);
    expect(Math.min(...saturated)).toBeGreaterThanOrEqual(0);
  });

  it("unclipped white noise (the benchmarks' protocol) keeps values outside 0..1 with the full σ", async () => {
    const clean = new Float32Array(10_000).fill(1);
    const shape = { width: 100, height: 100, channels: 1 as const };
    const { noisy } = await applyNoise(
      clean,
      shape,
      { type: 'gaussian', sigma: 25, unclipped: true },
      new SeededRandom(5),
    );
    let sq = 0;
    for (let i = 0; i < clean.length; i++) sq += (noisy[i]! - 1) ** 2;
    expect(Math.sqrt(sq / clean.length) * 255).toBeCloseTo(25, 0);
    expect(Math.max(...noisy)).toBeGreaterThan(1.1);
    const clipped = (await applyNoise(clean, shape, { type: 'gaussian', sigma: 25 }, new SeededRandom(5))).noisy;
    expect(Math.max(...clipped)).toBeLessThanOrEqual(1);
    // Validation (one σ, white) is unclipped only when the run's noise is unclipped white noise, not a mixture.
    expect(clipsNoise({ type: 'gaussian-range', sigmaMin: 0, sigmaMax: 50, unclipped: true })).toBe(false);
    expect(clipsNoise({ type: 'mixture', parts: [{ type: 'gaussian', sigma: 25, unclipped: true }] })).toBe(true);
  });

  it('salts and peppers about the requested density, half each', () => {
    const clean = new Float32Array(100_000).fill(0.5);
    const noisy = addSaltPepper(clean, 0.2, new SeededRandom(3));
    const salt = noisy.filter((v) => v === 1).length / clean.length;
    const pepper = noisy.filter((v) => v === 0).length / clean.length;
    expect(salt).toBeCloseTo(0.1, 2);
    expect(pepper).toBeCloseTo(0.1, 2);
  });

  it('draws a per-patch σ inside the range and reports it; mixtures use each part', async () => {
    const clean = new Float32Array(64).fill(0.5);
    const shape = { width: 8, height: 8, channels: 1 as const };
    const rng = new SeededRandom(4);
    const sigmas: number[] = [];
    for (let i = 0; i < 200; i++)
      sigmas.push((await applyNoise(clean, shape, { type: 'gaussian-range', sigmaMin: 5, sigmaMax: 50 }, rng)).sigma);
    expect(Math.min(...sigmas)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...sigmas)).toBeLessThan(50);
    expect(Math.max(...sigmas) - Math.min(...sigmas)).toBeGreaterThan(30);
    const kinds = new Set<number>();
    for (let i = 0; i < 50; i++)
      kinds.add(
        (
          await applyNoise(
            clean,
            shape,
            {
              type: 'mixture',
              parts: [
                { type: 'gaussian', sigma: 15 },
                { type: 'salt-pepper', density: 0.5 },
              ],
            },
            rng,
          )
        ).sigma,
      );
    expect(kinds).toEqual(new Set([15, 0]));
  });
});

describe('patches', () => {
  it('extracts the patch at a position as 0..1 floats', () => {
    const img = gradientImage(20, 10, 3);
    const p = extractPatch(img, 4, 3, 4);
    expect(p[0]).toBeCloseTo(img.data[(3 * 20 + 4) * 3]! / 255, 6);
    expect(p[(1 * 4 + 2) * 3 + 1]).toBeCloseTo(img.data[(4 * 20 + 6) * 3 + 1]! / 255, 6);
    expect(() => extractPatch(img, 18, 0, 4)).toThrow(RangeError);
  });

  it('gives the 8 distinct dihedral transforms of a patch, all permutations of it', () => {
    const img = gradientImage(8, 8, 1);
    const base = Array.from(extractPatch(img, 0, 0, 8))
      .sort()
      .join();
    const seen = new Set<string>();
    for (let t = 0; t < 8; t++) {
      const p = extractPatch(img, 0, 0, 8, t as Dihedral);
      expect(Array.from(p).sort().join()).toBe(base);
      seen.add(Array.from(p).join());
    }
    expect(seen.size).toBe(8);
    // Horizontal flip mirrors columns; transpose swaps rows and columns.
    const id = extractPatch(img, 0, 0, 8, 0);
    expect(extractPatch(img, 0, 0, 8, 1)[0]).toBe(id[7]);
    expect(extractPatch(img, 0, 0, 8, 4)[1]).toBe(id[8]);
  });
});

describe('batches', () => {
  it('adds a σ/255 plane for noise-level models and targets the noise for residual models', () => {
    const patch = new Float32Array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(Array.from(withNoiseLevel(patch, 3, 51))).toEqual([0.1, 0.2, 0.3, 0.2, 0.4, 0.5, 0.6, 0.2].map(Math.fround));
    const { target } = inputAndTarget(new Float32Array([0.5, 0.7]), new Float32Array([0.4, 0.7]), 25, {
      channels: 1,
      noiseLevelInput: false,
      output: 'noise',
    });
    expect(target[0]).toBeCloseTo(0.1, 6);
    expect(target[1]).toBe(0);
  });

  it('draws reproducible batches of the right shape', async () => {
    const pairs = [
      { name: 'a', clean: gradientImage(40, 30, 1) },
      { name: 'b', clean: gradientImage(33, 50, 1) },
    ];
    const spec = {
      batch: 4,
      patch: 16,
      channels: 1 as const,
      noise: { type: 'gaussian-range' as const, sigmaMin: 0, sigmaMax: 50 },
      noiseLevelInput: true,
      output: 'noise' as const,
    };
    const a = await sampleBatch(pairs, spec, new SeededRandom(9));
    const b = await sampleBatch(pairs, spec, new SeededRandom(9));
    expect(a.inShape).toEqual([4, 16, 16, 2]);
    expect(a.outShape).toEqual([4, 16, 16, 1]);
    expect(a.input).toEqual(b.input);
    expect(a.target).toEqual(b.target);
  });
});

describe('hold-out split and LR schedules', () => {
  it('holds out about the fraction, spread over the list, disjoint', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const { train, val } = holdOut(items, 0.05);
    expect(val).toHaveLength(5);
    expect(train).toHaveLength(95);
    expect(val[4]! - val[0]!).toBeGreaterThan(50);
    expect(holdOut([1, 2], 0.5).train).toHaveLength(1);
  });

  it('warms the LR up linearly over a quarter of the run (at most 500 steps), then decays it by cosine to 0 or by steps', () => {
    const base = { lr: 1e-3, lrStepEpochs: 2, lrStepFactor: 0.5, stepsPerEpoch: 10, epochs: 10 };
    expect(warmupSteps(100)).toBe(25);
    expect(warmupSteps(80)).toBe(20);
    expect(warmupSteps(100_000)).toBe(500);
    expect(learningRate({ ...base, lrSchedule: 'constant' }, 0)).toBeCloseTo(1e-3 / 25, 12);
    expect(learningRate({ ...base, lrSchedule: 'constant' }, 12)).toBeCloseTo((1e-3 * 13) / 25, 12);
    expect(learningRate({ ...base, lrSchedule: 'constant' }, 24)).toBeCloseTo(1e-3, 12);
    const cosineAt = (step: number) => 0.5 * 1e-3 * (1 + Math.cos((Math.PI * step) / 100));
    expect(learningRate({ ...base, lrSchedule: 'cosine' }, 10)).toBeCloseTo((cosineAt(10) * 11) / 25, 12);
    expect(learningRate({ ...base, lrSchedule: 'cosine' }, 50)).toBeCloseTo(5e-4, 12);
    expect(learningRate({ ...base, lrSchedule: 'cosine' }, 100)).toBeCloseTo(0, 12);
    expect(learningRate({ ...base, lrSchedule: 'step' }, 39)).toBe(5e-4);
    expect(learningRate({ ...base, lrSchedule: 'step' }, 40)).toBe(2.5e-4);
    expect(learningRate({ ...base, lrSchedule: 'constant' }, 99)).toBe(1e-3);
  });
});
