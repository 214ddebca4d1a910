// A training set in memory: every image of a folder (recursive, listed and decoded as the library
// and the denoiser do it) decoded once to 8-bit grey or RGB, or noisy/clean pairs (`noisy/` +
// `clean/` with matching names). Unreadable files and subfolders, and files the image reader
// refuses (32-bit samples, over the pixel limit), are skipped and listed, never fatal; too few
// usable images is a clear error up front.
import path from 'node:path';
import { EngineError } from '../contract/engine-error.js';
import { decodeImage as decodePhoto } from '../io/decode.js';
import { colourChannels, to8BitSamples, type Pixels } from '../io/pixels.js';
import { listCandidateFiles } from '../library/scan-folder.js';
import { luma601 } from '../util/luma.js';
import type { ImageU8 } from './patches.js';

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface ImagePair {
  /** The name both halves share (relative path), for reports. */
  name: string;
  clean: ImageU8;
  /** Present for real noisy/clean pairs; synthetic noise is added to `clean` otherwise. */
  noisy?: ImageU8;
}

export interface LoadedDataset {
  folder: string;
  pairs: ImagePair[];
  skipped: SkippedFile[];
  /** True when the folder held noisy/ + clean/ pairs. */
  paired: boolean;
}

/**
 * Image files under `folder`, recursively, as sorted relative paths, listed as the library lists
 * them (hidden files and links out of the folder left out). A subfolder that cannot be read is added
 * to `skipped` and the rest listed; only `folder` itself failing throws.
 */
export async function listImages(folder: string, skipped: SkippedFile[] = []): Promise<string[]> {
  // A training set may be made of links to photos kept elsewhere (the camera preset links the
  // library's low-ISO photos; a user may link a selection): they count, wherever they lead.
  const { files, unreadable } = await listCandidateFiles(folder, true, new Set(), 'any');
  for (const { path: file, reason } of unreadable) skipped.push({ file, reason });
  return files.map((file) => path.relative(folder, file)).sort();
}

/** 8-bit samples of `pixels` in `channels` channels: alpha dropped, grey repeated into RGB, RGB to luma (Rec. 601). */
function toTrainingImage(pixels: Pixels, channels: 1 | 3): ImageU8 {
  const samples = to8BitSamples(pixels);
  const stride = pixels.channels;
  const grey = colourChannels(stride) === 1;
  const count = pixels.width * pixels.height;
  const data = new Uint8Array(count * channels);
  for (let i = 0, at = 0; i < count; i++, at += stride) {
    if (channels === 3) for (let c = 0; c < 3; c++) data[i * 3 + c] = samples[grey ? at : at + c]!;
    else data[i] = grey ? samples[at]! : Math.round(luma601(samples[at]!, samples[at + 1]!, samples[at + 2]!));
  }
  return { width: pixels.width, height: pixels.height, channels, data };
}

/**
 * Decodes `file` through the engine's image reader (io/decode.ts: the pixel limit, 16-bit files,
 * the refusal of 32-bit samples and of unreadable or special files) into a training image.
 */
export async function decodeImage(file: string, channels: 1 | 3): Promise<ImageU8> {
  const { pixels } = await decodePhoto(file);
  return toTrainingImage(pixels, channels);
}

async function tryDecode(file: string, channels: 1 | 3, skipped: SkippedFile[]): Promise<ImageU8 | undefined> {
  try {
    return await decodeImage(file, channels);
  } catch (error) {
    skipped.push({ file, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) });
    return undefined;
  }
}

export interface LoadOptions {
  channels: 1 | 3;
  /** Images smaller than this on either side cannot give a patch and are skipped. */
  minSide: number;
  /** Fewer usable images than this is an error before training starts. */
  minImages?: number;
}

export async function loadDataset(folder: string, opts: LoadOptions): Promise<LoadedDataset> {
  let names: string[];
  const skipped: SkippedFile[] = [];
  try {
    names = await listImages(folder, skipped);
  } catch (error) {
    throw new EngineError('not-found', `Cannot read the dataset folder: ${(error as Error).message}`, folder);
  }
  const cleanNames = names.filter((n) => n.startsWith(`clean${path.sep}`));
  const noisyNames = new Set(names.filter((n) => n.startsWith(`noisy${path.sep}`)));
  const paired = cleanNames.length > 0 && noisyNames.size > 0;
  const pairs: ImagePair[] = [];
  const usable = (img: ImageU8 | undefined, file: string): img is ImageU8 => {
    if (!img) return false;
    if (img.width < opts.minSide || img.height < opts.minSide) {
      skipped.push({ file, reason: `${img.width}×${img.height} is smaller than a ${opts.minSide}-pixel patch` });
      return false;
    }
    return true;
  };
  if (paired) {
    for (const cleanName of cleanNames) {
      const name = cleanName.slice('clean/'.length);
      const noisyName = `noisy${path.sep}${name}`;
      const cleanFile = path.join(folder, cleanName);
      if (!noisyNames.has(noisyName)) {
        skipped.push({ file: cleanFile, reason: 'no noisy/ image with the same name' });
        continue;
      }
      const clean = await tryDecode(cleanFile, opts.channels, skipped);
      const noisy = await tryDecode(path.join(folder, noisyName), opts.channels, skipped);
      if (!usable(clean, cleanFile) || !noisy) continue;
      if (noisy.width !== clean.width || noisy.height !== clean.height) {
        skipped.push({
          file: path.join(folder, noisyName),
          reason: `size ${noisy.width}×${noisy.height} differs from its clean image`,
        });
        continue;
      }
      pairs.push({ name, clean, noisy });
    }
  } else {
    for (const name of names) {
      const file = path.join(folder, name);
      const clean = await tryDecode(file, opts.channels, skipped);
      if (usable(clean, file)) pairs.push({ name, clean });
    }
  }
  const minImages = opts.minImages ?? 1;
  if (pairs.length < minImages) {
    throw new EngineError(
      'invalid-request',
      `The dataset has ${pairs.length} usable image${pairs.length === 1 ? '' : 's'} (need at least ${minImages}); ${skipped.length} skipped` +
        (skipped[0] ? `, e.g. ${skipped[0].file}: ${skipped[0].reason}` : ''),
      folder,
    );
  }
  return { folder, pairs, skipped, paired };
}

/**
 * Splits off a held-out validation part (every k-th image, so it spreads over the folder) of about
 * `fraction` of the images; at least one image stays on each side.
 */
export function holdOut<T>(items: T[], fraction: number): { train: T[]; val: T[] } {
  const count = Math.min(items.length - 1, Math.max(1, Math.round(items.length * fraction)));
  const every = items.length / count;
  const picked = new Set(Array.from({ length: count }, (_, i) => Math.floor(i * every)));
  return { train: items.filter((_, i) => !picked.has(i)), val: items.filter((_, i) => picked.has(i)) };
}
