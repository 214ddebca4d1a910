// Where a denoised copy goes and what it is called. Default: a `denoised/` folder beside the
// original, same name and extension. Names never collide with existing files: "name (2).jpg" etc.
import { basename, dirname, extname, join } from 'node:path';
import { OutputFormat } from '../../../src-shared/schemas/denoise.js';
import { DEFAULT_OUTPUT_PATTERN } from '../../../src-shared/schemas/output-pattern.js';

const EXTENSION: Record<OutputFormat, string> = { jpeg: 'jpg', png: 'png', tiff: 'tif', webp: 'webp', avif: 'avif' };

/** The format a decoded input is written back as when the user asks for none. */
export function outputFormatFor(format: string, compression?: string): OutputFormat {
  if (format === 'heif' && compression === 'av1') return 'avif';
  const same = OutputFormat.safeParse(format);
  if (same.success) return same.data;
  return format === 'gif' ? 'png' : 'jpeg'; // HEIC cannot be written by sharp's prebuilt libvips
}

export interface OutputNamingOptions {
  /** Relative to the original's folder unless `outDir` is given; tokens {name}, {ext}, {model}. */
  pattern?: string;
  /** A folder for every output (CLI --out): the pattern's folder part is then ignored. */
  outDir?: string;
  format: OutputFormat;
  modelId: string;
}

/** The first-choice output path for `original` (before collision handling). */
export function outputPathFor(original: string, options: OutputNamingOptions): string {
  const name = basename(original, extname(original));
  const ext = EXTENSION[options.format];
  const pattern = options.pattern ?? DEFAULT_OUTPUT_PATTERN;
  const filled = pattern.replaceAll('{name}', name).replaceAll('{ext}', ext).replaceAll('{model}', options.modelId);
  const withExt = extname(filled) ? filled : `${filled}.${ext}`;
  return options.outDir ? join(options.outDir, basename(withExt)) : join(dirname(original), withExt);
}

/** The n-th alternative for a taken name: "photo.jpg" → "photo (2).jpg" for n = 2. */
export function numberedPath(path: string, n: number): string {
  if (n <= 1) return path;
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)} (${n})${ext}`);
}
