// A fixed validation set: centre crops of held-out images with seeded noise (white at one σ, or one
// camera's fitted noise), built once so every evaluation of a run (and of a resumed run) measures the
// same thing. Denoising results are scored with the engine's PSNR/SSIM.
import type { CameraProfileNoise } from '../../../src-shared/schemas/train.js';
import type { Raster } from '../io/raster.js';
import { encodePng } from '../io/samples-8bit.js';
import { psnr, ssim } from '../infer/metrics.js';
import { inputAndTarget } from './batch.js';
import type { ImagePair } from './dataset.js';
import { rmsNoiseLevel } from './camera-noise.js';
import { profiledCameraPair } from './camera-profile-noise.js';
import { addGaussian } from './noise.js';
import { extractPatch } from './patches.js';
import { SeededRandom } from '../util/rng.js';
import type { BatchShape } from './training-state.js';

export interface ValidationCrop {
  name: string;
  side: number;
  clean: Float32Array;
  noisy: Float32Array;
  input: Float32Array;
}

export interface ValidationSet {
  crops: ValidationCrop[];
  channels: 1 | 3;
  sigma: number;
  noisyPsnr: number;
}

export interface ValidationSpec {
  channels: 1 | 3;
  sigma: number;
  maxImages: number;
  /** Crop side (a multiple of 4); smaller images give the largest multiple of 4 that fits. */
  crop: number;
  noiseLevelInput: boolean;
  output: 'clean' | 'noise';
  seed: number;
  /** Clip the noisy crops to 0..1 (default), or keep them as the benchmarks do (see clipsNoise). */
  clip?: boolean;
  /** One camera's fitted noise instead of white noise at `sigma` (TrainConfig.valNoise; colour only). */
  camera?: CameraProfileNoise;
}

function raster(data: Float32Array, side: number, channels: number): Raster {
  return { width: side, height: side, channels, data };
}

/**
 * A clean crop with the spec's noise: white at σ, or the camera's, which comes with its own target
 * (the camera's JPEG of the crop, camera-profile-noise.ts).
 */
async function syntheticCrop(
  crop: Float32Array,
  side: number,
  spec: ValidationSpec,
  rng: SeededRandom,
): Promise<{ noisy: Float32Array; clean: Float32Array }> {
  if (!spec.camera) return { noisy: addGaussian(crop, spec.sigma, rng, undefined, spec.clip ?? true), clean: crop };
  const pair = await profiledCameraPair(crop, { width: side, height: side, channels: spec.channels }, spec.camera, rng);
  return { noisy: pair.noisy, clean: pair.target };
}

export async function buildValidationSet(pairs: ImagePair[], spec: ValidationSpec): Promise<ValidationSet> {
  const rng = new SeededRandom(spec.seed ^ 0x5eed);
  const count = Math.min(spec.maxImages, pairs.length);
  const crops: ValidationCrop[] = [];
  for (let k = 0; k < count; k++) {
    const pair = pairs[Math.floor((k * pairs.length) / count)]!;
    const side = Math.floor(Math.min(spec.crop, pair.clean.width, pair.clean.height) / 4) * 4;
    const left = Math.floor((pair.clean.width - side) / 2);
    const top = Math.floor((pair.clean.height - side) / 2);
    const crop = extractPatch(pair.clean, left, top, side);
    const { noisy, clean } = pair.noisy
      ? { noisy: extractPatch(pair.noisy, left, top, side), clean: crop }
      : await syntheticCrop(crop, side, spec, rng);
    // Real pairs and camera noise carry their own level: a noise-level model is told the true RMS
    // level, as in training, so validation measures the network rather than the app's blind estimate.
    const level = pair.noisy || spec.camera ? rmsNoiseLevel(noisy, clean) : spec.sigma;
    const { input } = inputAndTarget(noisy, clean, level, spec);
    crops.push({ name: pair.name, side, clean, noisy, input });
  }
  const noisyPsnr =
    crops.reduce(
      (s, c) => s + psnr(raster(c.noisy, c.side, spec.channels), raster(c.clean, c.side, spec.channels)),
      0,
    ) / crops.length;
  return { crops, channels: spec.channels, sigma: spec.sigma, noisyPsnr };
}

/** The denoised image from a network output: the output itself, or input − predicted noise; clipped. */
export function denoisedFrom(noisy: Float32Array, output: Float32Array, kind: 'clean' | 'noise'): Float32Array {
  const out = new Float32Array(noisy.length);
  for (let i = 0; i < noisy.length; i++)
    out[i] = Math.min(1, Math.max(0, kind === 'noise' ? noisy[i]! - output[i]! : output[i]!));
  return out;
}

export interface ValidationResult {
  psnr: number;
  ssim: number;
  noisyPsnr: number;
  /** The first crop, denoised, for previews. */
  firstDenoised: Float32Array;
}

export async function evaluate(
  set: ValidationSet,
  predict: (input: Float32Array, shape: BatchShape) => Promise<Float32Array>,
  kind: 'clean' | 'noise',
): Promise<ValidationResult> {
  let psnrSum = 0;
  let ssimSum = 0;
  let firstDenoised: Float32Array = new Float32Array(0);
  for (const [i, crop] of set.crops.entries()) {
    const inChannels = crop.input.length / (crop.side * crop.side);
    const output = await predict(crop.input, [1, crop.side, crop.side, inChannels]);
    const denoised = denoisedFrom(crop.noisy, output, kind);
    if (i === 0) firstDenoised = denoised;
    psnrSum += psnr(raster(denoised, crop.side, set.channels), raster(crop.clean, crop.side, set.channels));
    ssimSum += ssim(raster(denoised, crop.side, set.channels), raster(crop.clean, crop.side, set.channels));
  }
  return {
    psnr: psnrSum / set.crops.length,
    ssim: ssimSum / set.crops.length,
    noisyPsnr: set.noisyPsnr,
    firstDenoised,
  };
}

/** A 0..1 HWC patch as a base64 PNG (previews in progress events). */
export async function toPngBase64(data: Float32Array, side: number, channels: 1 | 3): Promise<string> {
  const bytes = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) bytes[i] = Math.round(Math.min(1, Math.max(0, data[i]!)) * 255);
  const png = await encodePng(bytes, { width: side, height: side, channels });
  return png.toString('base64');
}
