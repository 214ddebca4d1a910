// The engine's blind σ estimate (used for dcae-res-nl models) on real photographs with known added noise.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../../src-main/engine/train/dataset.js';
import { estimateNoiseSigma } from '../../../src-main/engine/infer/noise-estimate.js';
import { addGaussian } from '../../../src-main/engine/train/noise.js';
import { extractPatch } from '../../../src-main/engine/train/patches.js';
import { SeededRandom } from '../../../src-main/engine/util/rng.js';

const data = path.resolve(import.meta.dirname, '../../../../shared/data');

describe('estimateNoiseSigma', () => {
  it.each([
    ['set12', '01.png', 1],
    ['set12', '05.png', 1],
    ['cbsd68', '101085.png', 3],
  ] as const)('recovers known σ on %s/%s', async (set, file, channels) => {
    const img = await decodeImage(path.join(data, set, file), channels);
    const side = Math.min(img.width, img.height);
    const clean = extractPatch(img, 0, 0, side);
    for (const sigma of [10, 25, 50]) {
      const noisy = addGaussian(clean, sigma, new SeededRandom(sigma));
      const estimate = estimateNoiseSigma({ width: side, height: side, channels, data: noisy, scale: 1 });
      // Texture biases the estimate upwards a little, clipping downwards at high σ.
      expect(Math.abs(estimate - sigma)).toBeLessThan(0.2 * sigma + 2);
    }
  });
});
