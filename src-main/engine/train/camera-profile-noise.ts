// Noise of one profiled camera (`camera-profile` in the noise union): the simulated pipeline of
// camera-noise.ts with the shot/read noise, smoothing and JPEG settings `clearframe profile` fitted
// to the user's photos, instead of the wide ranges `--noise camera` draws from. What the profile
// cannot see (the colour matrix, white balance, the Bayer phase) is still drawn per patch.
import { NOISE_LEVEL_BINS, type CameraProfileNoise } from '../../../src-shared/schemas/train.js';
import { luma601 } from '../util/luma.js';
import type { SeededRandom } from '../util/rng.js';
import { cameraJpeg, cameraNoiseLinear, sampleCameraParams, type CameraParams } from './camera-noise.js';
import { cameraPair } from './jpeg-roundtrip.js';

/** A patch's camera: the recipe's settings, its variance scaled by a factor log-uniform in [1/spread, spread]. */
export function profiledCameraParams(recipe: CameraProfileNoise, rng: SeededRandom): CameraParams {
  const drawn = sampleCameraParams(rng);
  const scale = Math.exp(rng.uniform(-1, 1) * Math.log(recipe.spread));
  const { jpegQuality: _drawnQuality, ...rest } = drawn;
  return {
    ...rest,
    digitalGain: 1,
    shot: recipe.shot * scale,
    read: recipe.read * scale,
    lumaSmoothing: recipe.lumaSmoothing,
    chromaSmoothing: recipe.chromaSmoothing,
    ...(recipe.jpegQuality === undefined ? {} : { jpegQuality: recipe.jpegQuality }),
    chroma420: recipe.chroma420,
  };
}

/** A clean HWC patch (0..1) with the profiled camera's noise, 8-bit, through its JPEG when it writes JPEG. */
export async function addProfiledCameraNoise(
  clean: Float32Array,
  shape: { width: number; height: number; channels: 1 | 3 },
  recipe: CameraProfileNoise,
  rng: SeededRandom,
): Promise<Float32Array> {
  return (await profiledCameraPair(clean, shape, recipe, rng)).noisy;
}

/**
 * The noisy patch, and what a model should make of it: the camera's own JPEG of the clean scene (the
 * clean patch itself when the camera writes lossless files). The detail a JPEG drops is not the
 * noise's, and no model gets it back: at quality 75 with 4:2:0 the JPEG error of a clean training
 * patch (5.2 levels RMS on bsds-color-train) is twice a high-ISO camera's noise (2.5), so a run on
 * clean targets learned mostly to blur what the JPEG had left, and was told a level twice the noise's.
 */
export async function profiledCameraPair(
  clean: Float32Array,
  shape: { width: number; height: number; channels: 1 | 3 },
  recipe: CameraProfileNoise,
  rng: SeededRandom,
): Promise<{ noisy: Float32Array; target: Float32Array }> {
  const params = profiledCameraParams(recipe, rng);
  const linear = cameraNoiseLinear(clean, shape.width, shape.height, shape.channels, params, rng);
  if (recipe.levelGains) shapeNoiseLevels(linear, clean, shape.channels, recipe.levelGains);
  return cameraPair(linear, clean, shape, cameraJpeg(params));
}

/**
 * The factor `gains` (CameraProfileNoise.levelGains) puts on the noise at clean luma `v` (0..1):
 * linear between the bins' centres, the end bins' own factor beyond them.
 */
export function levelGain(gains: readonly number[], v: number): number {
  const at = Math.min(NOISE_LEVEL_BINS - 1, Math.max(0, v * NOISE_LEVEL_BINS - 0.5));
  const low = Math.floor(at);
  const high = Math.min(NOISE_LEVEL_BINS - 1, low + 1);
  return gains[low]! + (gains[high]! - gains[low]!) * (at - low);
}

/** Scales the noise of `noisy` (in place) by the level gains at each clean pixel's luma (BT.601); clipped to 0..1. */
export function shapeNoiseLevels(
  noisy: Float32Array,
  clean: Float32Array,
  channels: 1 | 3,
  gains: readonly number[],
): void {
  for (let p = 0; p < clean.length / channels; p++) {
    const o = p * channels;
    const luma = channels === 3 ? luma601(clean[o]!, clean[o + 1]!, clean[o + 2]!) : clean[o]!;
    const g = levelGain(gains, luma);
    for (let i = o; i < o + channels; i++) noisy[i] = Math.min(1, Math.max(0, clean[i]! + (noisy[i]! - clean[i]!) * g));
  }
}
