// sharp's part of a thumbnail (library/thumbnails.ts keeps the cache and the memory gate): the
// header read, the shrink-on-load WebP encode, and the check that a cached WebP decodes whole.
import sharp, { type Sharp } from 'sharp';
import type { ImageMetadata } from './decode.js';

/** Sequential: libvips streams the file top to bottom instead of keeping it decoded whole. */
const open = (path: string, pixelLimit: number): Sharp =>
  sharp(path, { sequentialRead: true, limitInputPixels: pixelLimit });

/** The header of the photo a thumbnail is made from (refused above `pixelLimit`). */
export async function readThumbnailSource(path: string, pixelLimit: number): Promise<ImageMetadata> {
  return open(path, pixelLimit).metadata();
}

/** The photo, upright, within `size`×`size`, as a WebP of `quality`. */
export async function encodeThumbnail(
  path: string,
  pixelLimit: number,
  size: number,
  quality: number,
): Promise<Buffer> {
  return (
    open(path, pixelLimit)
      .rotate() // honour EXIF orientation, as the viewer will
      // Resize straight after load: JPEG and WebP then decode at 1/2, 1/4 or 1/8 (shrink-on-load).
      .resize(size, size, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality })
      .toBuffer()
  );
}

/** The size of an encoded image that decodes whole, or undefined when it is cut short or unreadable. */
export async function wholeImageSize(encoded: Buffer): Promise<{ width: number; height: number } | undefined> {
  return sharp(encoded, { failOn: 'truncated' })
    .raw()
    .toBuffer({ resolveWithObject: true })
    .then(
      ({ info }) => info,
      () => undefined,
    );
}
