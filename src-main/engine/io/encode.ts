// Writes denoised pixels in the original's format and depth, keeping its metadata, atomically and
// without ever replacing an existing file.
// 8-bit: the pipeline starts from the original file (auto-oriented) and the denoised pixels are
// composited over it with blend 'source' — the only way sharp carries the input's EXIF and XMP
// through (keepExif/keepXmp); the orientation tag is reset since the pixels are already upright,
// and the ICC profile is re-attached unchanged.
// 16-bit (PNG/TIFF): sharp's composite works in 8 bits, so the raw 16-bit pixels are encoded
// directly and the ICC profile and XMP re-attached; EXIF cannot be re-attached from raw bytes there.
// TIFF: libvips writes no EXIF into a TIFF at all (8-bit either), so a TIFF copy has none.
// exifLeftBehind words both for the result's warning.
// With keepMetadata off (the setting, CLI --strip-metadata) EXIF and XMP — where GPS positions,
// names and serial numbers live — are left behind; the ICC profile is always kept, because without
// it the same pixel values would show different colours.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { EngineError } from '../contract/engine-error.js';
import type { OutputFormat } from '../../../src-shared/schemas/denoise.js';
import { assertExactPath, commitAtomically, removeOrphanedTemps } from './atomic-write.js';
import { bounded } from './bounded-fs.js';
import type { ImageInfo } from './decode.js';
import { numberedPath } from './output-naming.js';
import { colourChannels, to8BitSamples, type Pixels } from './pixels.js';
import { DEFAULT_JPEG_QUALITY } from '../../../src-shared/denoise-defaults.js';

/** Re-exported for the engine's callers; stated once in src-shared. */
export { DEFAULT_JPEG_QUALITY };

export interface EncodeOptions {
  format: OutputFormat;
  jpegQuality?: number;
  /** Carry the original's EXIF and XMP over (default true). The ICC profile is kept either way. */
  keepMetadata?: boolean;
}

function withFormat(pipeline: Sharp, options: EncodeOptions): Sharp {
  const quality = options.jpegQuality ?? DEFAULT_JPEG_QUALITY;
  switch (options.format) {
    case 'jpeg':
      return pipeline.jpeg({ quality });
    case 'png':
      return pipeline.png();
    case 'tiff':
      return pipeline.tiff({ compression: 'lzw' });
    case 'webp':
      return pipeline.webp({ quality });
    case 'avif':
      return pipeline.avif({ quality });
  }
}

/**
 * Attaches the original's ICC profile to the output as is. withIccProfile() takes a path; since
 * the pipeline input carries no profile (raw, or read with ignoreIcc), nothing is converted.
 */
async function withOriginalIcc(pipeline: Sharp, info: ImageInfo, write: (p: Sharp) => Promise<unknown>): Promise<void> {
  if (!info.icc) {
    await write(pipeline);
    return;
  }
  const iccDir = await mkdtemp(join(tmpdir(), 'clearframe-icc-'));
  try {
    await writeFile(join(iccDir, 'profile.icc'), info.icc);
    await write(pipeline.withIccProfile(join(iccDir, 'profile.icc'), { attach: true }));
  } finally {
    await rm(iccDir, { recursive: true, force: true });
  }
}

async function write8Bit(pixels: Pixels, info: ImageInfo, temp: string, options: EncodeOptions): Promise<void> {
  const data = to8BitSamples(pixels);
  // ignoreIcc: the decoded pixels are in the file's own colour space; letting sharp import the
  // profile would convert the composited pixels on output.
  let pipeline = sharp(info.path, { limitInputPixels: false, ignoreIcc: true })
    .autoOrient()
    .composite([
      {
        input: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
        raw: { width: pixels.width, height: pixels.height, channels: pixels.channels as 1 | 2 | 3 | 4 },
        blend: 'source',
      },
    ]);
  if (!info.hasAlpha) pipeline = pipeline.removeAlpha(); // compositing adds an alpha channel
  if (colourChannels(pixels.channels) === 1) pipeline = pipeline.toColourspace('b-w');
  if (options.keepMetadata ?? true) pipeline = pipeline.keepExif().keepXmp();
  await withOriginalIcc(pipeline, info, (p) => withFormat(p, options).toFile(temp));
}

async function write16Bit(pixels: Pixels, info: ImageInfo, temp: string, options: EncodeOptions): Promise<void> {
  const data = pixels.data as Uint16Array;
  let pipeline = sharp(data, {
    raw: { width: pixels.width, height: pixels.height, channels: pixels.channels as 1 | 2 | 3 | 4 },
    limitInputPixels: false,
  }).toColourspace(colourChannels(pixels.channels) === 1 ? 'grey16' : 'rgb16');
  if (info.xmp && (options.keepMetadata ?? true)) pipeline = pipeline.withXmp(info.xmp.toString('utf8'));
  await withOriginalIcc(pipeline, info, (p) => withFormat(p, options).toFile(temp));
}

function keeps16Bit(pixels: Pixels, format: OutputFormat): boolean {
  return pixels.data instanceof Uint16Array && (format === 'png' || format === 'tiff');
}

/**
 * Why the copy will lack the original's EXIF although metadata is kept, for the result's warning;
 * undefined when the EXIF is carried over (or there is none, or it is stripped on purpose).
 */
export function exifLeftBehind(pixels: Pixels, info: ImageInfo, options: EncodeOptions): string | undefined {
  if (!info.hasExif || !(options.keepMetadata ?? true)) return undefined;
  const what = 'no EXIF data (camera settings, date taken, position)';
  if (options.format === 'tiff')
    return `The TIFF copy has ${what}: TIFF files are written without it. Choose JPEG, PNG or WebP output to keep it.`;
  if (keeps16Bit(pixels, options.format))
    return `The 16-bit copy has ${what}: 16-bit pixels are written without it. Choose JPEG or WebP output to keep it.`;
  return undefined;
}

/**
 * Encodes `pixels` (the denoised `info` image) to `target`, or to "target (2)", "(3)"… when taken.
 * Returns the path written. Nothing is left behind on failure. `beforeMove` hears each final name
 * just before the finished file is moved there (the engine announces it, for crash recovery).
 */
export async function writeDenoisedImage(
  pixels: Pixels,
  info: ImageInfo,
  target: string,
  options: EncodeOptions,
  beforeMove?: (path: string) => void,
): Promise<string> {
  const keep16 = keeps16Bit(pixels, options.format);
  assertExactPath(target); // before mkdir: Node would refuse a NUL with its own internal error
  await bounded(mkdir(dirname(target), { recursive: true }), dirname(target));
  // Names are compared ignoring case, so that "Photo.png" and "photo.PNG" never become outputs that
  // one case-insensitive disk (macOS, Windows, exFAT) cannot hold both of. link() below still
  // refuses an exact clash that appears meanwhile.
  const siblings = await bounded(readdir(dirname(target)), dirname(target)).catch(() => [] as string[]);
  await removeOrphanedTemps(dirname(target), siblings);
  const taken = new Set(siblings.map((name) => name.toLowerCase()));
  for (let n = 1; n < 10_000; n++) {
    const candidate = numberedPath(target, n);
    if (taken.has(basename(candidate).toLowerCase())) continue;
    try {
      await commitAtomically(
        candidate,
        (temp) => (keep16 ? write16Bit(pixels, info, temp, options) : write8Bit(pixels, info, temp, options)),
        true,
        beforeMove,
      );
      return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      if (error instanceof EngineError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      const code = (error as NodeJS.ErrnoException).code;
      // libvips reports a full disk as a multi-line message about our hidden temp file, with no errno code.
      const diskFull = code === 'ENOSPC' || /no space left on device/i.test(reason);
      const why = diskFull ? 'disk full' : code === 'EACCES' ? 'permission denied' : (reason.split('\n')[0] ?? reason);
      throw new EngineError('io', `${basename(candidate)}: cannot be written (${why})`, candidate);
    }
  }
  throw new EngineError('io', `${basename(target)}: no free output name`, target);
}
