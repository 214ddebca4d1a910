// Words on the model cards: the 8-bit model's line (what runs, how much faster, what it costs), and whose photos a metric was measured on.
import { describe, expect, it } from 'vitest';
import { describeInt8, describeMetric } from '../../../src-renderer/lib/describe.js';
import type { QuantizedModel } from '../../../src-shared/schemas/models.js';

const base: QuantizedModel = {
  file: 'model.int8.onnx',
  psnr: 37.63,
  floatPsnr: 37.69,
  dataset: 'polyu-dev',
  sigma: 0,
  images: 40,
  realNoise: true,
  createdAt: '2026-11-30T10:21:18.338Z',
};

describe('describeInt8', () => {
  it('says the 8-bit model runs, how much faster and what it costs, on real photos', () => {
    const speed = { tile: 512, floatMs: 238, int8Ms: 123, threads: 2, machine: 'AMD EPYC, 2 cores' };
    expect(describeInt8({ ...base, speed })).toBe(
      'Runs in 8-bit: 1.9× faster, 0.06 dB below full precision on real camera photos',
    );
  });

  it('names a synthetic test set and its σ, and leaves the speed out when it was not measured', () => {
    expect(
      describeInt8({ ...base, realNoise: undefined, dataset: 'cbsd68', sigma: 25, psnr: 30.63, floatPsnr: 30.63 }),
    ).toBe('Runs in 8-bit: same quality as full precision on CBSD68 (σ 25)');
  });

  it('says the full-precision model runs when the 8-bit one failed its guard, and why', () => {
    expect(describeInt8({ ...base, psnr: 37.46 })).toBe(
      'Runs in full precision: the 8-bit version lost 0.23 dB on real camera photos',
    );
  });
});

describe('describeMetric', () => {
  it('calls held-out crops the user’s photos only for the user’s own models', () => {
    const metric = { dataset: 'bsds-color-train (held out)', sigma: 25, psnr: 29.5, ssim: 0.8, images: 8 };
    expect(describeMetric(metric)).toBe('on 8 of your photos set aside for checking with strong noise (σ 25)');
    expect(describeMetric(metric, 'shipped')).toBe(
      'on 8 of its training photos set aside for checking with strong noise (σ 25)',
    );
  });
});
