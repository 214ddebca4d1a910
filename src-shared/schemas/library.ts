import { z } from 'zod';
import { ImageFormat, PathString } from './common.js';

export const LibraryOpenRequest = z
  .object({
    folder: PathString,
    recursive: z.boolean().default(false),
  })
  .strict();

export const ImageEntry = z.object({
  /** Absolute path; the id of the image everywhere in the app. */
  path: z.string(),
  name: z.string(),
  /** Path relative to the opened folder (differs from name when recursive). */
  relativePath: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  modifiedMs: z.number(),
  format: ImageFormat,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  channels: z.number().int().min(1).max(4),
  bitDepth: z.union([z.literal(8), z.literal(16), z.literal(32)]),
  hasAlpha: z.boolean(),
  /** The denoised copy the photo already has by the output settings' naming rule (read from disk, so it survives a restart). */
  denoisedCopy: z.string().optional(),
  /** Why the last denoise of this photo failed, when it did and the photo has not changed since (remembered across restarts). */
  lastFailure: z.string().optional(),
});
export type ImageEntry = z.infer<typeof ImageEntry>;

/** A file in the folder that looks like an image but could not be read, with the reason. */
export const SkippedFile = z.object({ path: z.string(), reason: z.string() });
export type SkippedFile = z.infer<typeof SkippedFile>;

export const LibraryOpenResponse = z.object({
  folder: z.string(),
  images: z.array(ImageEntry),
  skipped: z.array(SkippedFile),
  /** The photo to select: the request named a photo, and its folder was opened. */
  selected: z.string().optional(),
});
export type LibraryOpenResponse = z.infer<typeof LibraryOpenResponse>;

export const ThumbnailRequest = z
  .object({
    path: PathString,
    /** Longest side in CSS pixels × devicePixelRatio. */
    size: z.number().int().min(16).max(1024).default(256),
  })
  .strict();

export const ThumbnailResponse = z.object({
  mime: z.enum(['image/webp', 'image/jpeg']),
  /** Base64 of the encoded thumbnail. */
  data: z.string(),
  width: z.number().int(),
  height: z.number().int(),
});
export type ThumbnailResponse = z.infer<typeof ThumbnailResponse>;
