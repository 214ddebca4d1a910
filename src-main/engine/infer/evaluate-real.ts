// Real-noise evaluation: real noisy photos and their clean references (a folder with noisy/ and
// clean/ of matching names, like polyu-dev), each denoised the way `clearframe denoise` does it —
// decode, denoise tile by tile at the given noise level, encode to PNG — and the PNG scored against
// the clean reference. Used by `npm run bench:real` and the CI's real-noise check.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { DenoiseQuality, NoiseLevel } from '../../../src-shared/schemas/denoise.js';
import { decodeImage } from '../io/decode.js';
import { writeDenoisedImage } from '../io/encode.js';
import { psnr, ssim } from '../metrics.js';
import { denoiseTiled, type RunnableModel } from './denoise-tiled.js';
import { mean } from './evaluate-model.js';
import { metricsRaster } from './metrics-raster.js';
import { autoNoiseLevel } from './noise-estimate.js';

export interface RealPair {
  name: string;
  noisy: string;
  clean: string;
}

export interface RealScore {
  file: string;
  psnr: number;
  ssim: number;
  noisyPsnr: number;
  noisySsim: number;
  /** The level the model was given (absent for models without a level input). */
  level?: number;
}

export interface RealSummary {
  noiseLevel: NoiseLevel;
  images: RealScore[];
  psnr: number;
  ssim: number;
  noisyPsnr: number;
  noisySsim: number;
}

/** The noisy/clean pairs of a folder holding noisy/ and clean/ with the same file names. */
export async function listRealPairs(folder: string): Promise<RealPair[]> {
  const clean = new Set(await readdir(join(folder, 'clean')));
  return (await readdir(join(folder, 'noisy')))
    .filter((name) => clean.has(name))
    .sort()
    .map((name) => ({ name, noisy: join(folder, 'noisy', name), clean: join(folder, 'clean', name) }));
}

export async function evaluateRealPairs(
  model: RunnableModel,
  pairs: RealPair[],
  options: {
    noiseLevel: NoiseLevel;
    quality?: DenoiseQuality;
    /** Auto with another gain on correlated noise than the app's (bench:real compares them). */
    autoGain?: number;
    onImage?: (score: RealScore) => void;
  },
): Promise<RealSummary> {
  const scratch = await mkdtemp(join(tmpdir(), 'clearframe-real-'));
  const images: RealScore[] = [];
  try {
    for (const pair of pairs) {
      const noisy = await decodeImage(pair.noisy);
      const clean = (await decodeImage(pair.clean)).pixels;
      const auto = (): number => autoNoiseLevel(noisy.pixels, options.autoGain);
      const level = model.card.noiseLevelInput ? (options.noiseLevel === 'auto' ? auto() : options.noiseLevel) : undefined;
      const denoised = await denoiseTiled(noisy.pixels, model, { ...(level !== undefined && { noiseLevel: level }), quality: options.quality });
      const png = await writeDenoisedImage(denoised, noisy.info, join(scratch, `${basename(pair.name)}.png`), { format: 'png' });
      const written = (await decodeImage(png)).pixels;
      const [c, n, d] = [metricsRaster(clean), metricsRaster(noisy.pixels), metricsRaster(written)];
      const score: RealScore = { file: pair.name, psnr: psnr(d, c), ssim: ssim(d, c), noisyPsnr: psnr(n, c), noisySsim: ssim(n, c), ...(level !== undefined && { level }) };
      images.push(score);
      options.onImage?.(score);
      await rm(png);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return {
    noiseLevel: options.noiseLevel,
    images,
    psnr: mean(images.map((i) => i.psnr)),
    ssim: mean(images.map((i) => i.ssim)),
    noisyPsnr: mean(images.map((i) => i.noisyPsnr)),
    noisySsim: mean(images.map((i) => i.noisySsim)),
  };
}
