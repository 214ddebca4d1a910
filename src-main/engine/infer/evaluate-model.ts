// Measures a model the way the denoising literature does: clean images plus seeded additive
// Gaussian noise of σ/255 kept in float (neither rounded to 8 bits nor clipped, as in DnCNN's
// evaluation), denoised, output clipped to 0..1, PSNR/SSIM against the clean image. The noisy
// image's scores are the baseline. Each image gets its own seed (seed + index), so --limit does not
// change the numbers of the images it keeps.
import { basename } from 'node:path';
import { metricsRaster } from './metrics-raster.js';
import { psnr, ssim } from './metrics.js';
import type { Pixels } from '../io/pixels.js';
import { readSamples8 } from '../io/samples-8bit.js';
import { SeededRandom } from '../util/rng.js';
import { denoiseTiled, type RunnableModel } from './denoise-tiled.js';

export interface ImageScore {
  file: string;
  psnr: number;
  ssim: number;
  noisyPsnr: number;
  noisySsim: number;
  megapixels: number;
  /** Network time (tiling included, decoding excluded). */
  seconds: number;
}

export interface EvaluationSummary {
  sigma: number;
  seed: number;
  images: ImageScore[];
  psnr: number;
  ssim: number;
  noisyPsnr: number;
  noisySsim: number;
  msPerMegapixel: number;
}

/** The default noise seed of `npm run bench:quality` and of the figures `clearframe train --export --eval` writes in cards. */
export const EVAL_SEED = 0;

/** A clean image as float pixels with the model's channel count (grey sets stay grey). */
export async function loadCleanImage(file: string, channels: 1 | 3): Promise<Pixels> {
  const { data, info } = await readSamples8(file, { colourspace: channels === 1 ? 'b-w' : 'srgb' });
  return {
    width: info.width,
    height: info.height,
    channels: info.channels,
    scale: 1,
    data: Float32Array.from(data, (v) => v / 255),
  };
}

/** Clean + N(0, σ/255), in float, unclipped (the literature's protocol) or clipped to 0..1 as a saved photo would be. */
export function addSeededGaussianNoise(clean: Pixels, sigma: number, seed: number, clip = false): Pixels {
  const rng = new SeededRandom(seed);
  const std = sigma / 255;
  return {
    ...clean,
    data: Float32Array.from(clean.data, (v) =>
      clip ? Math.min(1, Math.max(0, v + std * rng.normal())) : v + std * rng.normal(),
    ),
  };
}

export function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
}

export async function evaluateModel(
  model: RunnableModel,
  files: readonly string[],
  options: {
    sigma: number;
    seed: number;
    tileSize?: number;
    clip?: boolean;
    onImage?: (score: ImageScore, index: number) => void;
  },
): Promise<EvaluationSummary> {
  const images: ImageScore[] = [];
  for (const [index, file] of files.entries()) {
    const clean = await loadCleanImage(file, model.card.channels);
    const noisy = addSeededGaussianNoise(clean, options.sigma, options.seed + index, options.clip);
    const started = performance.now();
    const denoised = await denoiseTiled(noisy, model, {
      noiseLevel: options.sigma,
      ...(options.tileSize ? { tileSize: options.tileSize } : {}),
    });
    const seconds = (performance.now() - started) / 1000;
    const [c, n, d] = [metricsRaster(clean), metricsRaster(noisy), metricsRaster(denoised)];
    const score: ImageScore = {
      file: basename(file),
      psnr: psnr(d, c),
      ssim: ssim(d, c),
      noisyPsnr: psnr(n, c),
      noisySsim: ssim(n, c),
      megapixels: (clean.width * clean.height) / 1e6,
      seconds,
    };
    images.push(score);
    options.onImage?.(score, index);
  }
  const totalMp = images.reduce((s, i) => s + i.megapixels, 0);
  return {
    sigma: options.sigma,
    seed: options.seed,
    images,
    psnr: mean(images.map((i) => i.psnr)),
    ssim: mean(images.map((i) => i.ssim)),
    noisyPsnr: mean(images.map((i) => i.noisyPsnr)),
    noisySsim: mean(images.map((i) => i.noisySsim)),
    msPerMegapixel: totalMp > 0 ? (images.reduce((s, i) => s + i.seconds, 0) * 1000) / totalMp : 0,
  };
}
