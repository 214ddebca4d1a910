// Where a denoised copy goes and what it is called. Default: a `denoised/` folder beside the
// original, same name and extension. Names never collide with existing files: "name (2).jpg" etc.
import { access } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { OutputFormat } from '../../../src-shared/schemas/denoise.js';
import {
  DEFAULT_OUTPUT_PATTERN,
  fillOutputPattern,
  OUTPUT_EXTENSION,
  outputFormatFor,
} from '../../../src-shared/schemas/output-pattern.js';

/** The format a decoded input is written back as when the user asks for none (the shared rule, so the renderer shows the same). */
export { outputFormatFor };

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
  const withExt = fillOutputPattern(options.pattern ?? DEFAULT_OUTPUT_PATTERN, {
    name,
    ext: OUTPUT_EXTENSION[options.format],
    model: options.modelId,
  });
  return options.outDir ? join(options.outDir, basename(withExt)) : join(dirname(original), withExt);
}

/**
 * The denoised copy `original` already has, or undefined: "has a denoised copy" means the path the
 * naming rule gives for it exists (numbered "name (2)" copies do not count). The batch's
 * "skip photos that already have a denoised copy" and the library's badges both ask this.
 */
export async function existingDenoisedCopy(
  original: string,
  options: OutputNamingOptions,
): Promise<string | undefined> {
  const path = outputPathFor(original, options);
  return access(path).then(
    () => path,
    () => undefined,
  );
}

/** The n-th alternative for a taken name: "photo.jpg" → "photo (2).jpg" for n = 2. */
export function numberedPath(path: string, n: number): string {
  if (n <= 1) return path;
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)} (${n})${ext}`);
}
