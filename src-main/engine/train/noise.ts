// Synthetic noise on 0..1 samples: Gaussian (fixed σ or a per-patch σ drawn from a range, for blind
// models), salt-and-pepper, and mixtures of those. σ is on the 0–255 scale like everywhere in the app.
// Pure functions over typed arrays; randomness comes only from the SeededRandom passed in.
import type { SeededRandom } from './rng.js';

export type SyntheticNoise =
  | { type: 'gaussian'; sigma: number }
  | { type: 'gaussian-range'; sigmaMin: number; sigmaMax: number }
  | { type: 'salt-pepper'; density: number }
  | { type: 'mixture'; parts: SyntheticNoise[] };

/** The σ (0–255) a patch gets: fixed, or drawn uniformly from the range. 0 for salt-and-pepper. */
export function drawSigma(noise: SyntheticNoise, rng: SeededRandom): number {
  switch (noise.type) {
    case 'gaussian':
      return noise.sigma;
    case 'gaussian-range':
      return rng.uniform(noise.sigmaMin, noise.sigmaMax);
    default:
      return 0;
  }
}

/** Adds Gaussian noise of std sigma/255, clipped to 0..1. */
export function addGaussian(clean: Float32Array, sigma: number, rng: SeededRandom, out = new Float32Array(clean.length)): Float32Array {
  const std = sigma / 255;
  for (let i = 0; i < clean.length; i++) out[i] = Math.min(1, Math.max(0, clean[i]! + std * rng.normal()));
  return out;
}

/** Sets a `density` fraction of samples to 0 or 1 (half each). */
export function addSaltPepper(clean: Float32Array, density: number, rng: SeededRandom, out = new Float32Array(clean.length)): Float32Array {
  for (let i = 0; i < clean.length; i++) {
    const u = rng.next();
    out[i] = u < density / 2 ? 0 : u < density ? 1 : clean[i]!;
  }
  return out;
}

export interface NoisyPatch {
  noisy: Float32Array;
  /** The Gaussian σ used (0–255), fed to noise-level-conditioned models; 0 when none. */
  sigma: number;
}

/** Applies one noise model to a clean patch; a mixture picks one part per patch, uniformly. */
export function applyNoise(clean: Float32Array, noise: SyntheticNoise, rng: SeededRandom): NoisyPatch {
  switch (noise.type) {
    case 'gaussian':
    case 'gaussian-range': {
      const sigma = drawSigma(noise, rng);
      return { noisy: addGaussian(clean, sigma, rng), sigma };
    }
    case 'salt-pepper':
      return { noisy: addSaltPepper(clean, noise.density, rng), sigma: 0 };
    case 'mixture': {
      const part = noise.parts[rng.int(noise.parts.length)];
      if (!part) throw new Error('A noise mixture needs at least one part');
      return applyNoise(clean, part, rng);
    }
  }
}
