// Blind estimate of additive Gaussian noise σ (0..255 scale), for noise-level-conditioned models
// when the user gives none. Donoho's robust estimator on the finest diagonal wavelet band: over
// 2×2 blocks, (a − b − c + d)/2 has the noise's σ and little image content; σ ≈ median(|·|)/0.6745.
import { colourChannels, type Pixels } from '../io/pixels.js';

export function estimateNoiseSigma(image: Pixels, maxSamples = 250_000): number {
  const blocksX = Math.floor(image.width / 2);
  const blocksY = Math.floor(image.height / 2);
  const total = blocksX * blocksY;
  if (total === 0) return 0;
  const step = Math.max(1, Math.floor(total / maxSamples));
  const c = colourChannels(image.channels);
  const values: number[] = [];
  const at = (x: number, y: number, k: number): number => image.data[(y * image.width + x) * image.channels + k]!;
  for (let b = 0; b < total; b += step) {
    const x = (b % blocksX) * 2;
    const y = Math.floor(b / blocksX) * 2;
    const k = b % c;
    values.push(Math.abs(at(x, y, k) - at(x + 1, y, k) - at(x, y + 1, k) + at(x + 1, y + 1, k)) / 2);
  }
  values.sort((a, b) => a - b);
  return ((values[Math.floor(values.length / 2)]! / 0.6745) * 255) / image.scale;
}
