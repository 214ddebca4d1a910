// A folder of the user's photos → their cameras' noise profiles. Each photo's EXIF names its camera
// and ISO (a photo without EXIF joins "Unknown camera"), its JPEG headers give the quality and
// subsampling, and a centre crop of it is measured against the reference (the current model's
// output) by measure-noise.ts. Photos are grouped by camera, and within a camera by ISO.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isImageFileName } from '../contract/image-files.js';
import { readImageMetadata } from '../io/decode.js';
import { readSamples8 } from '../io/samples-8bit.js';
import { UNKNOWN_CAMERA } from '../../../src-shared/schemas/camera.js';
import { estimateJpegQuality, isChroma420, readJpegTables } from './jpeg-tables.js';
import { accumulateNoise, emptyNoiseSums, summariseNoise, type NoiseStats, type NoiseSums } from './measure-noise.js';
import { readPhotoExif, type PhotoExif } from '../io/photo-exif.js';

/** What a photo is measured against: the denoised image of an HWC RGB 0..1 image of that size. */
export type NoiseReference = (noisy: Float32Array, width: number, height: number) => Promise<Float32Array>;

export interface PhotoFacts extends PhotoExif {
  file: string;
  width: number;
  height: number;
  jpegQuality?: number;
  chroma420?: boolean;
}

export interface IsoProfile {
  /** Absent for photos whose ISO is not known. */
  iso?: number;
  photos: number;
  stats: NoiseStats;
}

export interface CameraProfile {
  camera: string;
  /** The photos measured (relative paths), and the ISOs among them, lowest first. */
  photos: string[];
  isos: number[];
  /** The most common JPEG quality and subsampling among the photos; quality absent when none is a JPEG. */
  jpegQuality?: number;
  chroma420: boolean;
  stats: NoiseStats;
  byIso: IsoProfile[];
}

export interface NoiseProfile {
  folder: string;
  /** The model whose output the residual was taken against. */
  reference: string;
  cameras: CameraProfile[];
  skipped: Array<{ file: string; reason: string }>;
}

export interface ProfileOptions {
  reference: NoiseReference;
  referenceName: string;
  /** Side of the centre crop measured per photo (default 768): a 24-MP photo is not denoised whole. */
  crop?: number;
  /** At most this many photos per camera (default 40), spread over the folder's order. */
  maxPhotosPerCamera?: number;
  /** Camera and ISO for a photo whose EXIF lacks them (e.g. from its file name); EXIF wins. */
  fallbackFacts?: (file: string) => PhotoExif;
  onPhoto?: (done: number, total: number, file: string) => void;
}

/** Image files directly in `folder` (not recursive: the user's folder of one shoot; links to files count), sorted. */
export async function listPhotos(folder: string): Promise<string[]> {
  const names: string[] = [];
  for (const e of await readdir(folder, { withFileTypes: true })) {
    if (!isImageFileName(e.name)) continue;
    if (
      e.isFile() ||
      (e.isSymbolicLink() && (await stat(path.join(folder, e.name)).catch(() => undefined))?.isFile() === true)
    )
      names.push(e.name);
  }
  return names.sort();
}

/** EXIF and JPEG facts of one photo, without decoding it. */
export async function photoFacts(
  folder: string,
  file: string,
  fallback?: (file: string) => PhotoExif,
): Promise<PhotoFacts> {
  const bytes = await readFile(path.join(folder, file));
  const meta = await readImageMetadata(bytes);
  const exif = { ...fallback?.(file), ...readPhotoExif(meta.exif) };
  const tables = meta.format === 'jpeg' ? readJpegTables(bytes) : undefined;
  const quality = tables && estimateJpegQuality(tables)?.quality;
  return {
    file,
    width: meta.width ?? 0,
    height: meta.height ?? 0,
    ...exif,
    ...(quality === undefined ? {} : { jpegQuality: quality }),
    ...(tables ? { chroma420: isChroma420(tables) } : {}),
  };
}

/** A centre crop (at most `side` square) of a photo as HWC RGB 0..1. */
export async function centreCrop(
  file: string,
  side: number,
): Promise<{ data: Float32Array; width: number; height: number }> {
  const meta = await readImageMetadata(file);
  const width = Math.min(side, meta.width ?? 0);
  const height = Math.min(side, meta.height ?? 0);
  const left = Math.floor(((meta.width ?? 0) - width) / 2);
  const top = Math.floor(((meta.height ?? 0) - height) / 2);
  const { data, info } = await readSamples8(file, { colourspace: 'srgb', region: { left, top, width, height } });
  if (info.channels !== 3) throw new Error(`decoded ${info.channels} channels`);
  return { data: Float32Array.from(data, (v) => v / 255), width: info.width, height: info.height };
}

function mostCommon<T>(values: T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** Every `step`-th element so that at most `max` remain, spread over the list. */
function spread<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  return Array.from({ length: max }, (_, i) => items[Math.floor((i * items.length) / max)]!);
}

export async function profileFolder(folder: string, options: ProfileOptions): Promise<NoiseProfile> {
  const skipped: NoiseProfile['skipped'] = [];
  const facts: PhotoFacts[] = [];
  for (const file of await listPhotos(folder)) {
    try {
      facts.push(await photoFacts(folder, file, options.fallbackFacts));
    } catch (error) {
      skipped.push({ file, reason: (error as Error).message });
    }
  }
  const byCamera = new Map<string, PhotoFacts[]>();
  for (const f of facts)
    byCamera.set(f.camera ?? UNKNOWN_CAMERA, [...(byCamera.get(f.camera ?? UNKNOWN_CAMERA) ?? []), f]);
  const chosen = [...byCamera.values()].flatMap((list) => spread(list, options.maxPhotosPerCamera ?? 40));
  const cameras: CameraProfile[] = [];
  let done = 0;
  for (const [camera, all] of byCamera) {
    const photos = spread(all, options.maxPhotosPerCamera ?? 40);
    const total = emptyNoiseSums();
    const isoSums = new Map<number | undefined, { sums: NoiseSums; photos: number }>();
    const measured: PhotoFacts[] = [];
    for (const photo of photos) {
      options.onPhoto?.(++done, chosen.length, photo.file);
      try {
        const crop = await centreCrop(path.join(folder, photo.file), options.crop ?? 768);
        const reference = await options.reference(crop.data, crop.width, crop.height);
        accumulateNoise(total, crop.data, reference, crop.width, crop.height);
        const iso = isoSums.get(photo.iso) ?? { sums: emptyNoiseSums(), photos: 0 };
        accumulateNoise(iso.sums, crop.data, reference, crop.width, crop.height);
        iso.photos += 1;
        isoSums.set(photo.iso, iso);
        measured.push(photo);
      } catch (error) {
        skipped.push({ file: photo.file, reason: (error as Error).message });
      }
    }
    if (measured.length === 0) continue;
    const isos = [...new Set(measured.flatMap((p) => (p.iso === undefined ? [] : [p.iso])))].sort((a, b) => a - b);
    const quality = mostCommon(measured.flatMap((p) => (p.jpegQuality === undefined ? [] : [p.jpegQuality])));
    cameras.push({
      camera,
      photos: measured.map((p) => p.file),
      isos,
      ...(quality === undefined ? {} : { jpegQuality: quality }),
      chroma420: mostCommon(measured.map((p) => p.chroma420 ?? false)) ?? false,
      stats: summariseNoise(total),
      byIso: [...isoSums.entries()]
        .sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))
        .map(([iso, v]) => ({
          ...(iso === undefined ? {} : { iso }),
          photos: v.photos,
          stats: summariseNoise(v.sums),
        })),
    });
  }
  return { folder, reference: options.referenceName, cameras, skipped };
}
