// Small WebP previews for the library grid, cached on disk. The cache key covers the path, the
// file's mtime and size and the requested size, so an edited photo gets a fresh thumbnail and a
// stale one is simply never looked up again. Writes are atomic (temp file + rename) so two requests
// racing for the same thumbnail, or a crash mid-write, never leave a truncated file behind.
// Memory: a grid asks for dozens at once, and one huge file can cost a GB to decode, so each is
// made with shrink-on-load and sequential reading, weighed from its header, and let through a gate
// that bounds how many run and what they hold together (preview-memory.ts); a file too large for a
// preview is refused with a message saying so. The cache itself is capped (cache-eviction.ts).
// Engine side: the engine process makes them; the main process only checks access and forwards.
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError } from '../contract/engine-error.js';
import { assertReadableFile } from '../io/image-errors.js';
import { readImageMetadata } from '../io/decode.js';
import { unsupportedSamplesReason } from '../io/image-support.js';
import { encodeThumbnail, readThumbnailSource, wholeImageSize } from '../io/thumbnail-codec.js';
import type { ThumbnailImage } from '../contract/protocol.js';
import { cacheSize, evictLeastRecentlyUsed } from './cache-eviction.js';
import { MemoryGate, PREVIEW_PIXEL_LIMIT, previewCost, previewRefusal } from './preview-memory.js';
import { writeFileAtomic } from '../io/atomic-write.js';

const WEBP_QUALITY = 80;
/** The cache's cap; pruning brings it back to 80 % of it. */
export const THUMBNAIL_CACHE_MAX_BYTES = 200 * 1024 * 1024;

export interface ThumbnailCacheOptions {
  maxBytes?: number;
  /** Bounds the previews made at once; one per engine process. */
  gate?: MemoryGate;
}

export class ThumbnailCache {
  private readonly maxBytes: number;
  private readonly gate: MemoryGate;
  /** Bytes in the cache: measured on the first write, then kept up to date; pruning runs one at a time. */
  private size?: Promise<number>;

  constructor(
    readonly directory: string,
    options: ThumbnailCacheOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? THUMBNAIL_CACHE_MAX_BYTES;
    this.gate = options.gate ?? new MemoryGate();
  }

  /** `path` must already be checked against the allowed folders. */
  async get(path: string, size: number): Promise<ThumbnailImage> {
    await assertReadableFile(path);
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      throw new EngineError('not-found', `${path} could not be read (${error.code ?? error.message}).`, path);
    });
    const key = createHash('sha256').update(`${path}\0${info.mtimeMs}\0${info.size}\0${size}`).digest('hex');
    const file = join(this.directory, key.slice(0, 2), `${key}.webp`);
    const cached = await readFile(file).catch(() => undefined);
    // A cache entry cut short (a crash, a full disk) is made again and replaced, not served or thrown:
    // decoding a small WebP whole is cheap, and a header alone would pass a truncated one.
    const cachedSize = cached && (await wholeImageSize(cached));
    if (cached && cachedSize) {
      // Marks it recently used for eviction (atime is not kept on most mounts).
      const now = new Date();
      await utimes(file, now, now).catch(() => undefined);
      return this.#response(cached, cachedSize.width, cachedSize.height);
    }
    const encoded = await this.#render(path, size, file);
    const { width, height } = await readImageMetadata(encoded);
    return this.#response(encoded, width ?? size, height ?? size);
  }

  /** The encoded bytes as they are: they cross to the main process by structured clone, not base64. */
  #response(encoded: Buffer, width: number, height: number): ThumbnailImage {
    return { mime: 'image/webp', data: encoded, width, height };
  }

  async #render(path: string, size: number, file: string): Promise<Buffer> {
    let encoded: Buffer;
    try {
      const meta = await readThumbnailSource(path, PREVIEW_PIXEL_LIMIT);
      // A 32-bit image would come out as a plausible but wrong picture: refuse it as the engine does.
      const refused = unsupportedSamplesReason(meta) ?? previewRefusal(meta);
      if (refused) throw new Error(refused);
      encoded = await this.gate.run(previewCost(meta), () =>
        encodeThumbnail(path, PREVIEW_PIXEL_LIMIT, size, WEBP_QUALITY),
      );
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      throw new EngineError('unsupported', `A preview of ${path} could not be made: ${reason}`, path);
    }
    // A cache that cannot be written (read-only or full disk) costs speed, not the thumbnail.
    const written = await mkdir(join(file, '..'), { recursive: true })
      // A temp name of its own per write: two requests for one thumbnail must not share one.
      .then(() => writeFileAtomic(file, encoded))
      .then(
        () => true,
        () => false,
      );
    if (written) await this.#grew(encoded.length, file);
    return encoded;
  }

  /** Counts a new entry in; past the cap, the least recently used go until 80 % of it is left. */
  #grew(bytes: number, file: string): Promise<void> {
    const previous = this.size ?? cacheSize(this.directory).then((measured) => measured - bytes);
    this.size = previous.then(async (total) => {
      const now = total + bytes;
      return now > this.maxBytes
        ? evictLeastRecentlyUsed(this.directory, Math.floor(this.maxBytes * 0.8), file).catch(() => now)
        : now;
    });
    return this.size.then(() => undefined);
  }
}
