// The user's own clean photos to fine-tune on, picked from the same library: low ISO by EXIF (little
// noise to begin with) and sharp (a blurred or missed-focus shot would teach the model to blur).
// Sharpness is the mean |Laplacian| of the luma at a fixed working size, so photos of any size compare.
import path from 'node:path';
import { readLumaWithin } from '../io/samples-8bit.js';
import { listPhotos, photoFacts, type PhotoFacts } from './profile-folder.js';

/** The highest ISO that counts as clean (the "EXIF ISO ≤ 400"). */
export const CLEAN_MAX_ISO = 400;
/** Long side the sharpness is measured at. */
export const SHARPNESS_SIDE = 512;
/**
 * Mean |Laplacian| (0–255 luma) below which a photo is too soft to learn detail from. Set by reading,
 * not by measurement: a Gaussian blur of σ 2 px at the working size takes ordinary scenes below it.
 */
export const MIN_SHARPNESS = 2;

/** Mean absolute 4-neighbour Laplacian of the photo's luma at SHARPNESS_SIDE on its long side. */
export async function sharpness(file: string): Promise<number> {
  const { data, info } = await readLumaWithin(file, SHARPNESS_SIDE);
  const { width, height } = info;
  let sum = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      sum += Math.abs(4 * data[i]! - data[i - 1]! - data[i + 1]! - data[i - width]! - data[i + width]!);
    }
  }
  return sum / Math.max(1, (width - 2) * (height - 2));
}

export interface CleanPick {
  picked: Array<PhotoFacts & { sharpness: number }>;
  /** Photos left out, and why (for the list the user sees). */
  left: Array<{ file: string; reason: string }>;
}

/** The folder's photos with EXIF ISO ≤ CLEAN_MAX_ISO (of `camera` when given) that are sharp enough. */
export async function pickCleanPhotos(folder: string, camera?: string): Promise<CleanPick> {
  const picked: CleanPick['picked'] = [];
  const left: CleanPick['left'] = [];
  for (const file of await listPhotos(folder)) {
    try {
      const facts = await photoFacts(folder, file);
      if (facts.iso === undefined) left.push({ file, reason: 'no ISO in its EXIF' });
      else if (facts.iso > CLEAN_MAX_ISO) left.push({ file, reason: `ISO ${facts.iso}` });
      else if (camera !== undefined && facts.camera !== camera)
        left.push({ file, reason: `another camera (${facts.camera ?? 'unknown'})` });
      else {
        const s = await sharpness(path.join(folder, file));
        if (s < MIN_SHARPNESS) left.push({ file, reason: `soft (sharpness ${s.toFixed(1)})` });
        else picked.push({ ...facts, sharpness: s });
      }
    } catch (error) {
      left.push({ file, reason: (error as Error).message });
    }
  }
  return { picked, left };
}
