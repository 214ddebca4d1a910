// Small WebP previews for the library grid, cached on disk. The cache key covers the path, the
// file's mtime and size and the requested size, so an edited photo gets a fresh thumbnail and a
// stale one is simply never looked up again. Writes are atomic (temp file + rename) so two requests
// racing for the same thumbnail, or a crash mid-write, never leave a truncated file behind.
// Engine side: the engine process makes them; the main process only checks access and forwards.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { EngineError } from '../engine-error.js';
import { unsupportedSamplesReason } from '../io/image-support.js';
import type { ThumbnailImage } from '../process/protocol.js';

const WEBP_QUALITY = 80;

export class ThumbnailCache {
  constructor(readonly directory: string) {}

  /** `path` must already be checked against the allowed folders. */
  async get(path: string, size: number): Promise<ThumbnailImage> {
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      throw new EngineError('not-found', `${path} could not be read (${error.code ?? error.message}).`, path);
    });
    const key = createHash('sha256').update(`${path}\0${info.mtimeMs}\0${info.size}\0${size}`).digest('hex');
    const file = join(this.directory, key.slice(0, 2), `${key}.webp`);
    const cached = await readFile(file).catch(() => undefined);
    // A cache entry cut short (a crash, a full disk) is made again and replaced, not served or thrown:
    // decoding a small WebP whole is cheap, and a header alone would pass a truncated one.
    const cachedSize =
      cached &&
      (await sharp(cached, { failOn: 'truncated' })
        .raw()
        .toBuffer({ resolveWithObject: true })
        .then(
          ({ info }) => info,
          () => undefined,
        ));
    if (cached && cachedSize) return this.#response(cached, cachedSize.width, cachedSize.height);
    const encoded = await this.#render(path, size, file);
    const { width, height } = await sharp(encoded).metadata();
    return this.#response(encoded, width ?? size, height ?? size);
  }

  /** The encoded bytes as they are: they cross to the main process by structured clone, not base64. */
  #response(encoded: Buffer, width: number, height: number): ThumbnailImage {
    return { mime: 'image/webp', data: encoded, width, height };
  }

  async #render(path: string, size: number, file: string): Promise<Buffer> {
    let encoded: Buffer;
    try {
      const image = sharp(path);
      // A 32-bit image would come out as a plausible but wrong picture: refuse it as the engine does.
      const unsupported = unsupportedSamplesReason(await image.metadata());
      if (unsupported) throw new Error(unsupported);
      encoded = await image
        .rotate() // honour EXIF orientation, as the viewer will
        .resize(size, size, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: WEBP_QUALITY })
        .toBuffer();
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      throw new EngineError('unsupported', `A preview of ${path} could not be made: ${reason}`, path);
    }
    // A cache that cannot be written (read-only or full disk) costs speed, not the thumbnail.
    await mkdir(join(file, '..'), { recursive: true })
      .then(() => writeFile(`${file}.${process.pid}.tmp`, encoded))
      .then(() => rename(`${file}.${process.pid}.tmp`, file))
      .catch(() => undefined);
    return encoded;
  }
}
