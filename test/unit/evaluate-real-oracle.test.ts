// The per-photo oracle bench:real reports beside Auto: per photo, the fixed level that scored best;
// and the true noise level it can tell each photo (noisy − clean RMS).
import { describe, expect, it } from 'vitest';
import {
  perPhotoOracle,
  referenceNoiseLevel,
  type RealScore,
  type RealSummary,
} from '../../src-main/engine/infer/evaluate-real.js';
import { createPixels } from '../../src-main/engine/io/pixels.js';

function run(noiseLevel: RealSummary['noiseLevel'], psnrs: number[]): RealSummary {
  const images: RealScore[] = psnrs.map((psnr, i) => ({
    file: `p${i}.png`,
    psnr,
    ssim: psnr / 100,
    noisyPsnr: 30,
    noisySsim: 0.8,
    ...(typeof noiseLevel === 'number' && { level: noiseLevel }),
  }));
  return {
    noiseLevel,
    images,
    psnr: psnrs.reduce((a, b) => a + b, 0) / psnrs.length,
    ssim: 0,
    noisyPsnr: 30,
    noisySsim: 0.8,
  };
}

describe('perPhotoOracle', () => {
  it('takes each photo at its best fixed level, never from Auto', () => {
    const oracle = perPhotoOracle([
      run('auto', [50, 50, 50]),
      run(2, [36, 40, 31]),
      run(5, [38, 39, 33]),
      run(8, [37, 35, 34]),
    ])!;
    expect(oracle.images.map((i) => i.level)).toEqual([5, 2, 8]);
    expect(oracle.psnr).toBeCloseTo((38 + 40 + 34) / 3, 12);
    expect(oracle.ssim).toBeCloseTo((0.38 + 0.4 + 0.34) / 3, 12);
    expect(oracle.levels).toEqual([2, 5, 8]);
    // Never below the best single fixed level.
    expect(oracle.psnr).toBeGreaterThanOrEqual(
      Math.max(...[2, 5, 8].map((l, k) => [36 + 40 + 31, 38 + 39 + 33, 37 + 35 + 34][k]! / 3)),
    );
  });

  it('is undefined without a fixed level, and refuses runs over different photos', () => {
    expect(perPhotoOracle([run('auto', [40])])).toBeUndefined();
    const other = run(4, [30]);
    other.images[0]!.file = 'other.png';
    expect(() => perPhotoOracle([run(2, [30]), other])).toThrow(/did not measure the same photos/);
  });
});

describe('referenceNoiseLevel', () => {
  it('is the RMS of noisy − clean on the 0–255 scale, colour channels only', () => {
    const clean = createPixels(4, 2, 4, 8);
    const noisy = createPixels(4, 2, 4, 8);
    for (let i = 0; i < clean.data.length; i++) {
      const alpha = i % 4 === 3;
      clean.data[i] = alpha ? 255 : 100 + (i % 7);
      // ±4 on every colour sample, and an alpha far off that must not count.
      noisy.data[i] = alpha ? 0 : clean.data[i]! + (i % 2 === 0 ? 4 : -4);
    }
    expect(referenceNoiseLevel(noisy, clean)).toBeCloseTo(4, 10);
    // Half the samples off by 6, half exact: RMS 6/√2.
    for (let i = 0; i < noisy.data.length; i++) if (i % 4 !== 3) noisy.data[i] = clean.data[i]! + (i % 8 < 4 ? 6 : 0);
    expect(referenceNoiseLevel(noisy, clean)).toBeCloseTo(6 / Math.SQRT2, 10);
  });

  it('compares photos of different bit depths on one scale, and refuses different sizes', () => {
    const clean = createPixels(3, 3, 3, 16);
    const noisy = createPixels(3, 3, 3, 8);
    for (let i = 0; i < clean.data.length; i++) {
      clean.data[i] = 120 * 257;
      noisy.data[i] = 123;
    }
    expect(referenceNoiseLevel(noisy, clean)).toBeCloseTo(3, 10);
    expect(() => referenceNoiseLevel(createPixels(2, 3, 3, 8), clean)).toThrow(/differ in size/);
  });
});
