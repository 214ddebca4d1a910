// The engine's blind σ estimate (used for dcae-res-nl models) on photo-like images (the test card) with known added noise.
import { describe, expect, it } from 'vitest';
import { estimateNoiseSigma } from '../../../src-main/engine/infer/noise-estimate.js';
import { addGaussian } from '../../../src-main/engine/train/noise.js';
import { extractPatch } from '../../../src-main/engine/train/patches.js';
import { SeededRandom } from '../../../src-main/engine/util/rng.js';
import { colourPhoto, greyPhoto } from '../../helpers/samples.js';

describe('estimateNoiseSigma', () => {
  it.each([
    ['grey', '02', 1],
    ['grey', '06', 1],
    ['colour', '0', 3],
  ] as const)('recovers known σ on %s photo %s', async (kind, name, channels) => {
    const photo = kind === 'grey' ? await greyPhoto(name) : await colourPhoto(Number(name));
    const { data, info } = await photo.raw().toBuffer({ resolveWithObject: true });
    const img = { width: info.width, height: info.height, channels, data: new Uint8Array(data) };
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
