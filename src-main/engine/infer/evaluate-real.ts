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
import { psnr, ssim } from './metrics.js';
import { autoLevelFor, denoiseTiled, type RunnableModel } from './denoise-tiled.js';
import { mean } from './evaluate-model.js';
import { metricsRaster } from './metrics-raster.js';
import { autoNoiseLevel } from './noise-estimate.js';
import { colourChannels, type Pixels } from '../io/pixels.js';

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

/**
 * A level setting of a real-noise run: Auto, a fixed level, or 'reference': each photo told its own
 * noise's RMS as measured against its clean reference (× `referenceGain`), what a perfect noise
 * meter would read. Only a benchmark can do that; it splits Auto's distance to the per-photo oracle
 * into what better noise measurement could win and what it could not.
 */
export type RealLevel = NoiseLevel | 'reference';

export interface RealSummary {
  noiseLevel: RealLevel;
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
    noiseLevel: RealLevel;
    /** With noiseLevel 'reference': the factor on the measured RMS (1 when absent). */
    referenceGain?: number;
    quality?: DenoiseQuality;
    /** Auto by the Haar heuristic (noise-estimate.ts) with this gain on correlated noise, instead of the model's Auto (bench:real compares them). */
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
      const auto = (): Promise<number> =>
        options.autoGain === undefined
          ? autoLevelFor(model, noisy.pixels)
          : Promise.resolve(autoNoiseLevel(noisy.pixels, options.autoGain));
      const level = !model.card.noiseLevelInput
        ? undefined
        : options.noiseLevel === 'auto'
          ? await auto()
          : options.noiseLevel === 'reference'
            ? (options.referenceGain ?? 1) * referenceNoiseLevel(noisy.pixels, clean)
            : options.noiseLevel;
      const denoised = await denoiseTiled(noisy.pixels, model, {
        ...(level !== undefined && { noiseLevel: level }),
        quality: options.quality,
      });
      const png = await writeDenoisedImage(denoised, noisy.info, join(scratch, `${basename(pair.name)}.png`), {
        format: 'png',
      });
      const written = (await decodeImage(png)).pixels;
      const [c, n, d] = [metricsRaster(clean), metricsRaster(noisy.pixels), metricsRaster(written)];
      const score: RealScore = {
        file: pair.name,
        psnr: psnr(d, c),
        ssim: ssim(d, c),
        noisyPsnr: psnr(n, c),
        noisySsim: ssim(n, c),
        ...(level !== undefined && { level }),
      };
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

/**
 * The RMS of noisy − clean over the colour channels, on the 0–255 scale the models' level uses
 * (alpha left out): a photo's true noise level, which its clean reference alone can tell.
 */
export function referenceNoiseLevel(noisy: Pixels, clean: Pixels): number {
  if (noisy.width !== clean.width || noisy.height !== clean.height || noisy.channels !== clean.channels)
    throw new Error(
      `The noisy photo (${noisy.width}×${noisy.height}×${noisy.channels}) and its reference (${clean.width}×${clean.height}×${clean.channels}) differ in size`,
    );
  const colour = colourChannels(noisy.channels);
  let sum = 0;
  for (let i = 0; i < noisy.data.length; i++) {
    if (i % noisy.channels >= colour) continue;
    sum += (noisy.data[i]! / noisy.scale - clean.data[i]! / clean.scale) ** 2;
  }
  return Math.sqrt(sum / (noisy.width * noisy.height * colour)) * 255;
}

/** The per-photo oracle: each photo at the fixed level that scored best on it (the headroom Auto could reach with those levels). */
export interface OracleSummary {
  images: RealScore[];
  psnr: number;
  ssim: number;
  /** The fixed levels the oracle chose among. */
  levels: number[];
}

/**
 * The per-photo oracle of runs at fixed levels over the same photos: per photo, the score (and level)
 * of the run with the highest PSNR on it. Undefined without a fixed-level run.
 */
export function perPhotoOracle(runs: readonly RealSummary[]): OracleSummary | undefined {
  const fixed = runs.filter((r) => typeof r.noiseLevel === 'number');
  if (fixed.length === 0) return undefined;
  const images = fixed[0]!.images.map((first, i) => {
    const scores = fixed.map((run) => run.images[i]!);
    if (scores.some((s) => s.file !== first.file))
      throw new Error(
        `The fixed-level runs did not measure the same photos (photo ${i + 1}: ${scores.map((s) => s.file).join(', ')})`,
      );
    return scores.reduce((best, s) => (s.psnr > best.psnr ? s : best));
  });
  return {
    images,
    psnr: mean(images.map((i) => i.psnr)),
    ssim: mean(images.map((i) => i.ssim)),
    levels: fixed.map((r) => r.noiseLevel as number),
  };
}
