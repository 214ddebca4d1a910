import { describe, expect, it } from 'vitest';
import { estimateNoiseSigma } from '../../src-main/engine/infer/noise-estimate.js';
import { addSeededGaussianNoise } from '../../src-main/engine/infer/evaluate-model.js';
import { realPixels, toFloatPixels } from '../helpers/images.js';

describe('estimateNoiseSigma', () => {
  it('recovers the σ of added Gaussian noise on a real photo within 15%', async () => {
    const clean = toFloatPixels(await realPixels('set12/05.png', { left: 0, top: 0, width: 256, height: 256 }, 1));
    for (const sigma of [10, 25, 50]) {
      const estimate = estimateNoiseSigma(addSeededGaussianNoise(clean, sigma, 3));
      expect(Math.abs(estimate - sigma) / sigma).toBeLessThan(0.15);
    }
    expect(estimateNoiseSigma(clean)).toBeLessThan(5);
  });
});
