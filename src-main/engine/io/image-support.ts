// What Clearframe does with images that sharp can open but that do not fit the 8/16-bit pipeline,
// decided from the header alone so the library, thumbnails and the engine all say the same thing.
// - 32-bit samples are refused. Float TIFFs come as 0–1 or 0–255 (and linear or not) with nothing
//   in the file to tell which, and libvips casts 32-bit integers by clipping: any guess would be a
//   silently wrong picture, so the user is told to convert instead.
// - A multi-page TIFF (or an animation) is processed as its first page, and a CMYK photo is
//   denoised in RGB: both succeed, with a warning saying so.
import type { Metadata } from 'sharp';

const UNSUPPORTED_DEPTH: Readonly<Record<string, string>> = {
  float: '32-bit floating-point',
  double: '64-bit floating-point',
  uint: '32-bit integer',
  int: '32-bit integer',
  complex: 'complex',
  dpcomplex: 'complex',
};

/** Why the image's samples cannot be processed, or undefined when they can. */
export function unsupportedSamplesReason(meta: Pick<Metadata, 'depth'>): string | undefined {
  const kind = meta.depth === undefined ? undefined : UNSUPPORTED_DEPTH[meta.depth];
  if (kind === undefined) return undefined;
  const why =
    meta.depth === 'float' || meta.depth === 'double'
      ? ' (their range, 0–1 or 0–255, cannot be told from the file)'
      : '';
  return `${kind} samples are not supported${why}; save it as a 16-bit TIFF or PNG first`;
}

/** Sentences telling the user how the processed picture differs from the file, e.g. pages left out. */
export function conversionWarnings(meta: Pick<Metadata, 'pages' | 'space' | 'format'>): string[] {
  const warnings: string[] = [];
  if (meta.pages !== undefined && meta.pages > 1) {
    warnings.push(
      meta.format === 'tiff' || meta.format === 'heif'
        ? `Only page 1 of ${meta.pages} is processed.`
        : `Only frame 1 of ${meta.pages} is processed.`,
    );
  }
  if (meta.space === 'cmyk') {
    warnings.push('The CMYK photo was converted to RGB to be denoised.');
  }
  return warnings;
}
