// Synthetic noise on 0..1 samples: Gaussian (fixed σ or a per-patch σ drawn from a range, for blind
// models), spatially and channel-correlated Gaussian, real camera noise (camera-noise.ts: raw
// shot + read noise through a camera's pipeline and JPEG), salt-and-pepper, and mixtures of those.
// σ is on the 0–255 scale like everywhere in the app. Pure functions over typed arrays apart from the
// JPEG step (sharp, async); randomness comes only from the SeededRandom passed in.
import { CAMERA_NOISE_RECIPE, type TrainNoise } from '../../../src-shared/schemas/train.js';
import {
  addCorrelatedGaussian,
  CAMERA_RANGES,
  cameraJpeg,
  cameraNoiseLinear,
  rmsNoiseLevel,
  sampleCameraParams,
  type CameraRanges,
} from './camera-noise.js';
import { profiledCameraPair } from './camera-profile-noise.js';
import { cameraPair, jpegRoundTrip, quantise8 } from './jpeg-roundtrip.js';
import type { SeededRandom } from '../util/rng.js';

export type SyntheticNoise = TrainNoise;

/** `--noise camera`: the recipe is declared with the config schema, for the Train view too. */
export const CAMERA_RECIPE: SyntheticNoise = CAMERA_NOISE_RECIPE;

/** The σ (0–255) a patch gets: fixed, or drawn uniformly from the range. 0 for the other types. */
export function drawSigma(noise: SyntheticNoise, rng: SeededRandom): number {
  switch (noise.type) {
    case 'gaussian':
      return noise.sigma;
    case 'gaussian-range':
    case 'gaussian-correlated':
      return rng.uniform(noise.sigmaMin, noise.sigmaMax);
    default:
      return 0;
  }
}

/** Adds Gaussian noise of std sigma/255, clipped to 0..1 unless `clip` is false (the benchmarks' protocol). */
export function addGaussian(
  clean: Float32Array,
  sigma: number,
  rng: SeededRandom,
  out = new Float32Array(clean.length),
  clip = true,
): Float32Array {
  const std = sigma / 255;
  for (let i = 0; i < clean.length; i++) {
    const value = clean[i]! + std * rng.normal();
    out[i] = clip ? Math.min(1, Math.max(0, value)) : value;
  }
  return out;
}

/** Whether validation clips its noisy crops: not when the run trains on unclipped white noise (a mixture always clips). */
export function clipsNoise(noise: SyntheticNoise): boolean {
  return !((noise.type === 'gaussian' || noise.type === 'gaussian-range') && noise.unclipped);
}

/** Sets a `density` fraction of samples to 0 or 1 (half each). */
export function addSaltPepper(
  clean: Float32Array,
  density: number,
  rng: SeededRandom,
  out = new Float32Array(clean.length),
): Float32Array {
  for (let i = 0; i < clean.length; i++) {
    const u = rng.next();
    out[i] = u < density / 2 ? 0 : u < density ? 1 : clean[i]!;
  }
  return out;
}

export interface NoisyPatch {
  noisy: Float32Array;
  /** What the model should give back when it is not the clean patch (a profiled camera's JPEG of it). */
  target?: Float32Array;
  /**
   * The noise level (0–255) fed to noise-level-conditioned models: the Gaussian σ for white noise,
   * the measured RMS of noisy − clean for camera and correlated noise, 0 for salt-and-pepper.
   */
  sigma: number;
}

export interface PatchShape {
  width: number;
  height: number;
  channels: 1 | 3;
}

/** Simulated camera noise, 8-bit, JPEG-compressed when the drawn camera writes JPEG; cameras from `ranges` (the recipe's by default). */
export async function addCameraNoise(
  clean: Float32Array,
  shape: PatchShape,
  rng: SeededRandom,
  ranges: CameraRanges = CAMERA_RANGES,
): Promise<Float32Array> {
  const { linear, jpeg } = simulateCamera(clean, shape, rng, ranges);
  return jpeg ? jpegRoundTrip(linear, shape.width, shape.height, shape.channels, jpeg) : quantise8(linear);
}

/**
 * addCameraNoise's noisy patch (the same draws) with the drawn camera's own JPEG of the clean patch
 * (the clean patch for a lossless camera): the noise alone is noisy − target, without the detail the
 * JPEG drops from the scene (see camera-profile-noise.ts's profiledCameraPair).
 */
export async function simulatedCameraPair(
  clean: Float32Array,
  shape: PatchShape,
  rng: SeededRandom,
  ranges: CameraRanges = CAMERA_RANGES,
): Promise<{ noisy: Float32Array; target: Float32Array }> {
  const { linear, jpeg } = simulateCamera(clean, shape, rng, ranges);
  return cameraPair(linear, clean, shape, jpeg);
}

/** One drawn camera's noisy patch before its JPEG, and the JPEG it writes (undefined: lossless). */
function simulateCamera(clean: Float32Array, shape: PatchShape, rng: SeededRandom, ranges: CameraRanges) {
  const params = sampleCameraParams(rng, ranges);
  const linear = cameraNoiseLinear(clean, shape.width, shape.height, shape.channels, params, rng);
  return { linear, jpeg: cameraJpeg(params) };
}

/** Applies one noise model to a clean HWC patch; a mixture picks one part per patch, uniformly. */
export async function applyNoise(
  clean: Float32Array,
  shape: PatchShape,
  noise: SyntheticNoise,
  rng: SeededRandom,
): Promise<NoisyPatch> {
  switch (noise.type) {
    case 'gaussian':
    case 'gaussian-range': {
      const sigma = drawSigma(noise, rng);
      return { noisy: addGaussian(clean, sigma, rng, undefined, clipsNoise(noise)), sigma };
    }
    case 'gaussian-correlated': {
      const sigma = drawSigma(noise, rng);
      const blur = rng.uniform(0.3, 1.5);
      const rho = shape.channels === 3 ? rng.uniform(0, 0.8) : 0;
      const noisy = addCorrelatedGaussian(clean, shape.width, shape.height, shape.channels, sigma, blur, rho, rng);
      return { noisy, sigma: rmsNoiseLevel(noisy, clean) };
    }
    case 'camera': {
      const noisy = await addCameraNoise(clean, shape, rng);
      return { noisy, sigma: rmsNoiseLevel(noisy, clean) };
    }
    case 'camera-profile': {
      const { noisy, target } = await profiledCameraPair(clean, shape, noise, rng);
      return { noisy, target, sigma: rmsNoiseLevel(noisy, target) };
    }
    case 'salt-pepper':
      return { noisy: addSaltPepper(clean, noise.density, rng), sigma: 0 };
    case 'mixture': {
      const part = noise.parts[rng.int(noise.parts.length)];
      if (!part) throw new Error('A noise mixture needs at least one part');
      return applyNoise(clean, shape, part, rng);
    }
  }
}
