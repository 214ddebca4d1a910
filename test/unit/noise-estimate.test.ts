// The Auto noise level: white Gaussian noise read as its σ (also when clipped to 0..1, as real files
// are), camera noise (correlated by the camera's pipeline and JPEG, simulated here) read far above
// what the finest wavelet band alone saw, and a clean photo read low.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AUTO_LEVEL_FLOOR,
  AUTO_RULE,
  autoNoiseLevel,
  estimateNoiseSigma,
  levelFromFeatures,
  noiseFeatures,
} from '../../src-main/engine/infer/noise-estimate.js';
import { addSeededGaussianNoise } from '../../src-main/engine/infer/evaluate-model.js';
import { listRealPairs } from '../../src-main/engine/infer/evaluate-real.js';
import { decodeImage } from '../../src-main/engine/io/decode.js';
import type { Pixels } from '../../src-main/engine/io/pixels.js';
import { cropPixels, repoRoot, toFloatPixels } from '../helpers/images.js';
import { greyPhoto, writeCameraPairs } from '../helpers/samples.js';

const clip = (p: Pixels): Pixels => ({ ...p, data: p.data.map((v) => Math.min(1, Math.max(0, v))) });

describe('estimateNoiseSigma', () => {
  it('recovers the σ of added Gaussian noise on a real photo within 15%, clipped or not', async () => {
    const clean = toFloatPixels(
      await cropPixels(await greyPhoto('05'), { left: 0, top: 0, width: 256, height: 256 }, 1),
    );
    for (const sigma of [10, 25, 50]) {
      const noisy = addSeededGaussianNoise(clean, sigma, 3);
      expect(Math.abs(estimateNoiseSigma(noisy) - sigma) / sigma).toBeLessThan(0.15);
      expect(Math.abs(estimateNoiseSigma(clip(noisy)) - sigma) / sigma).toBeLessThan(0.15);
    }
    expect(estimateNoiseSigma(clean)).toBeLessThan(5);
  });

  it('Auto never tells a model less than its floor, and otherwise what it measured', async () => {
    const clean = toFloatPixels(
      await cropPixels(await greyPhoto('05'), { left: 0, top: 0, width: 256, height: 256 }, 1),
    );
    const flat: Pixels = { ...clean, data: new Float32Array(clean.data.length).fill(0.5) };
    expect(estimateNoiseSigma(flat)).toBeLessThan(0.5);
    expect(autoNoiseLevel(flat)).toBe(AUTO_LEVEL_FLOOR);
    const noisy = addSeededGaussianNoise(clean, 25, 3);
    expect(autoNoiseLevel(noisy)).toBe(estimateNoiseSigma(noisy));
  });

  it('sees camera noise that the finest band misses', async () => {
    // Camera noise goes through demosaicing, the colour matrix, the camera's chroma smoothing and JPEG:
    // spatially correlated, as polyu-dev's real photos are (the data suite runs this on those).
    const folder = await mkdtemp(path.join(tmpdir(), 'cf-auto-camera-'));
    await writeCameraPairs(folder, 4, { width: 256, height: 256 });
    const pairs = await listRealPairs(folder);
    let rmsSum = 0;
    let autoSum = 0;
    let finestSum = 0;
    for (const pair of pairs) {
      const noisy = (await decodeImage(pair.noisy)).pixels;
      const clean = (await decodeImage(pair.clean)).pixels;
      let squared = 0;
      for (let i = 0; i < noisy.data.length; i++) squared += (noisy.data[i]! - clean.data[i]!) ** 2;
      const rms = Math.sqrt(squared / noisy.data.length);
      const finest = noiseFeatures(noisy)[0]!;
      const auto = estimateNoiseSigma(noisy);
      expect(finest).toBeLessThan(0.5 * rms); // the classic estimate: a fraction of the real noise
      expect(auto).toBeGreaterThanOrEqual(finest);
      rmsSum += rms;
      autoSum += auto;
      finestSum += finest;
    }
    // On average Auto reads a little under the noise's RMS (the level the photo model was trained to be
    // told): its constants were fitted to lose the least PSNR, and a level too high costs more than one
    // too low. The finest band alone reads well under that (about 0.4 of the RMS on these pairs).
    expect(autoSum).toBeGreaterThan(0.5 * rmsSum);
    expect(autoSum).toBeLessThan(1.2 * rmsSum);
    expect(autoSum).toBeGreaterThan(1.4 * finestSum);
    await rm(folder, { recursive: true, force: true });
  });
});

describe("Auto's rule", () => {
  it('is the one scripts/fit-auto-level.ts fitted on synthetic data (its newest bench/results/auto-fit-*.json)', async () => {
    const results = path.join(repoRoot, 'bench', 'results');
    const newest = (await readdir(results))
      .filter((f) => /^auto-fit-.*\.json$/.test(f))
      .sort()
      .at(-1);
    expect(newest).toBeDefined();
    const fit = JSON.parse(await readFile(path.join(results, newest!), 'utf8')) as {
      fitted: { constants: Record<string, number> };
      crops: number;
    };
    expect(fit.crops).toBeGreaterThanOrEqual(100);
    expect(AUTO_RULE).toEqual(fit.fitted.constants);
  });

  it('reads white noise as the fine band, whatever the gain on correlated noise', () => {
    // Texture lifts the coarse band a little over the fine one (ratio under whiteRatio): still white.
    for (const sigma of [5, 15, 25, 50]) {
      const white = [sigma, sigma, sigma, 1.2 * sigma, 1.2 * sigma, 1.2 * sigma];
      expect(levelFromFeatures(white)).toBe(sigma);
      expect(levelFromFeatures(white, { ...AUTO_RULE, gain: 3 })).toBe(sigma);
    }
    // Correlated noise (the coarse band well over the fine): the gain times the coarse band.
    expect(levelFromFeatures([2, 2, 2, 20, 20, 20])).toBeCloseTo(AUTO_RULE.gain * 20, 10);
  });
});
