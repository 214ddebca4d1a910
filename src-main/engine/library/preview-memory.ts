// How much memory making a preview of a photo costs, told from its header, and a gate that keeps the
// previews being made at once within one budget. A library grid asks for dozens of thumbnails at
// once; most cost a few MB because libvips streams them and JPEG/WebP decode straight at 1/2–1/8 of
// their size (shrink-on-load). A few cannot be streamed: a progressive JPEG keeps every DCT
// coefficient of the whole image until its last scan (2 bytes × pixels × sampled channels: 768 MB
// for a 1.5 MB 16,000² file), an interlaced PNG or a HEIF/GIF is decoded whole. Those are weighed
// by that cost, run alone if they must, and refused when one alone would exceed the budget.
import type { ImageMetadata } from '../io/decode.js';

const MIB = 1024 * 1024;

/** What all previews being made at once may hold, and so the most one preview may cost. */
export const PREVIEW_MEMORY_BUDGET = 512 * MIB;
/** Previews made at once, however cheap: each holds a libuv thread. */
export const PREVIEW_CONCURRENCY = 2;
/** The largest picture a preview is made of at all (16,384²), whatever its format. */
export const PREVIEW_PIXEL_LIMIT = 16_384 * 16_384;
/** What a streamed preview holds: a few strips of the image and the small result. */
const STREAMED_COST = 16 * MIB;

/** Sampled planes per pixel of a JPEG, by its chroma subsampling (1 for grey). */
function jpegPlanes(meta: PreviewMeta): number {
  switch (meta.chromaSubsampling) {
    case '4:2:0':
      return 1.5;
    case '4:2:2':
    case '4:4:0':
      return 2;
    case '4:4:4':
      return 3;
    case '4:4:4:4':
      return 4;
    default:
      return meta.channels ?? 3;
  }
}

export type PreviewMeta = Partial<
  Pick<ImageMetadata, 'format' | 'width' | 'height' | 'channels' | 'depth' | 'chromaSubsampling' | 'isProgressive'>
>;

/** Bytes a preview of this image holds at its peak (estimated from the header, with the process's own use left out). */
export function previewCost(meta: PreviewMeta): number {
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  const bytesPerSample =
    meta.depth === 'ushort' || meta.depth === 'short'
      ? 2
      : meta.depth === 'float' || meta.depth === 'int' || meta.depth === 'uint'
        ? 4
        : 1;
  const whole = pixels * (meta.channels ?? 3) * bytesPerSample;
  switch (meta.format) {
    case 'jpeg':
      // Progressive: 16-bit coefficients for every sampled plane. Baseline streams with shrink-on-load.
      return meta.isProgressive ? pixels * jpegPlanes(meta) * 2 : STREAMED_COST;
    case 'png':
      return meta.isProgressive ? whole : STREAMED_COST; // Adam7 interlacing needs the whole image
    case 'tiff':
    case 'webp':
    case 'raw':
      return STREAMED_COST;
    default:
      return whole; // HEIF, GIF, SVG and the rest are decoded whole
  }
}

/** Why no preview is made of this image, or undefined when one can be. */
export function previewRefusal(meta: PreviewMeta, budget = PREVIEW_MEMORY_BUDGET): string | undefined {
  const { width = 0, height = 0 } = meta;
  if (width * height > PREVIEW_PIXEL_LIMIT)
    return `too large for a preview (${width} × ${height} pixels; the limit is 16,384 × 16,384)`;
  const cost = previewCost(meta);
  if (cost > budget) {
    const kind =
      meta.format === 'jpeg'
        ? 'progressive JPEG'
        : meta.format === 'png'
          ? 'interlaced PNG'
          : `${meta.format ?? 'image'} file`;
    const article = /^[aeiou]/i.test(kind) ? 'an' : 'a';
    return `too large for a preview: ${article} ${kind} of ${width} × ${height} pixels needs about ${Math.round(cost / MIB)} MB to decode (the limit is ${Math.round(budget / MIB)} MB)`;
  }
  return undefined;
}

/**
 * A weighted semaphore: at most `slots` holders, whose weights together stay within `capacity`.
 * Waiters are served in order, so a heavy preview is not starved by a stream of light ones.
 */
export class MemoryGate {
  private used = 0;
  private holders = 0;
  private readonly queue: { weight: number; wake: () => void }[] = [];

  constructor(
    readonly capacity = PREVIEW_MEMORY_BUDGET,
    readonly slots = PREVIEW_CONCURRENCY,
  ) {}

  /** Runs `work` once `weight` (clamped to the capacity) fits beside what runs already. */
  async run<T>(weight: number, work: () => Promise<T>): Promise<T> {
    const w = Math.min(Math.max(weight, 0), this.capacity);
    if (this.queue.length > 0 || !this.fits(w)) {
      await new Promise<void>((wake) => this.queue.push({ weight: w, wake })); // counted in by wakeNext
    } else {
      this.used += w;
      this.holders++;
    }
    try {
      return await work();
    } finally {
      this.used -= w;
      this.holders--;
      this.wakeNext();
    }
  }

  /** Holders now and weight in use: for tests and reports. */
  get load(): { holders: number; used: number; waiting: number } {
    return { holders: this.holders, used: this.used, waiting: this.queue.length };
  }

  private fits(weight: number): boolean {
    return this.holders < this.slots && this.used + weight <= this.capacity;
  }

  private wakeNext(): void {
    while (this.queue.length > 0 && this.fits(this.queue[0]!.weight)) {
      const next = this.queue.shift()!;
      // Counted in here, so that the next turn of this loop sees it.
      this.used += next.weight;
      this.holders++;
      next.wake();
    }
  }
}
