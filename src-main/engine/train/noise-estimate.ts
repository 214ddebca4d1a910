// Blind noise-level estimate for dcae-res-nl models (Immerkær 1996, "Fast noise variance
// estimation"): the image is filtered with the difference of two Laplacians, which cancels smooth
// structure, and σ is read from the mean absolute response. Answers σ on the 0–255 scale.
import type { Raster } from '../io/raster.js';

const SQRT_HALF_PI = Math.sqrt(Math.PI / 2);

/** σ (0–255) of additive white Gaussian noise in `image` (0..1 samples), averaged over channels. */
export function estimateNoiseSigma(image: Raster): number {
  const { width: w, height: h, channels: c, data } = image;
  if (w < 3 || h < 3) throw new RangeError(`Noise estimation needs at least 3×3 pixels, got ${w}×${h}`);
  let sum = 0;
  for (let ch = 0; ch < c; ch++) {
    const at = (x: number, y: number) => data[(y * w + x) * c + ch]!;
    for (let y = 1; y < h - 1; y++) {
      for (let x = 1; x < w - 1; x++) {
        // Mask [[1,-2,1],[-2,4,-2],[1,-2,1]]
        const v =
          at(x - 1, y - 1) - 2 * at(x, y - 1) + at(x + 1, y - 1) -
          2 * at(x - 1, y) + 4 * at(x, y) - 2 * at(x + 1, y) +
          at(x - 1, y + 1) - 2 * at(x, y + 1) + at(x + 1, y + 1);
        sum += Math.abs(v);
      }
    }
  }
  return (255 * SQRT_HALF_PI * sum) / (6 * (w - 2) * (h - 2) * c);
}
