// The Compare view's photo, model, noise level, strength and live preview. The engine denoises only the
// region in view (debounced while zooming and panning); the strength blend happens here on the
// client from the original and denoised pixels, so the slider answers at once.
import type { ApiError } from '../../src-shared/contract.js';
import type { NoiseLevel } from '../../src-shared/schemas/denoise.js';
import { blendPixels } from '../lib/blend.js';
import { loadImage, originalImageUrl } from '../lib/image-source.js';
import type { Rect, Size } from '../lib/viewport.js';
import { fetchPreview, type PreviewAnswer } from '../lib/preview.js';

export type Preview = PreviewAnswer;

const DEBOUNCE_MS = 250;

class CompareStore {
  path = $state<string | null>(null);
  src = $state<string | null>(null);
  size = $state<Size | null>(null);
  loadError = $state<string | null>(null);

  modelId = $state('');
  strength = $state(1);
  /**
   * 'auto' or a manual level once the user picks one; until then undefined, and the host applies the
   * settings' default. Unlike strength it changes what the network does, so it re-runs the preview.
   */
  noiseLevel = $state<NoiseLevel | undefined>(undefined);
  preview = $state.raw<Preview | null>(null);
  previewing = $state(false);
  error = $state<ApiError | null>(null);
  /** True once the whole image has been denoised at the current model. */
  full = $state(false);
  /** The whole image is being denoised (as opposed to the live preview of the view). */
  fullRunning = $state(false);

  private image: HTMLImageElement | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sequence = 0;
  private lastRegion: Rect | null = null;

  overlay = $derived.by(() => {
    const p = this.preview;
    if (!p) return null;
    const pixels = new ImageData(p.original.width, p.original.height);
    blendPixels(p.original.data, p.denoised.data, this.strength, pixels.data);
    return { pixels, region: p.region };
  });

  async show(path: string): Promise<void> {
    if (path === this.path && this.image) return;
    this.path = path;
    this.preview = null;
    this.full = false;
    this.error = null;
    this.loadError = null;
    this.size = null;
    this.image = null;
    const src = originalImageUrl(path);
    this.src = src;
    try {
      const image = await loadImage(src);
      if (this.path !== path) return;
      this.image = image;
      this.size = { width: image.naturalWidth, height: image.naturalHeight };
    } catch (error) {
      if (this.path === path) this.loadError = error instanceof Error ? error.message : String(error);
    }
  }

  setModel(id: string): void {
    this.modelId = id;
    this.rerun();
  }

  setNoiseLevel(level: NoiseLevel): void {
    if (level === this.noiseLevel) return;
    this.noiseLevel = level;
    this.rerun();
  }

  private rerun(): void {
    this.full = false;
    if (this.lastRegion) this.requestRegion(this.lastRegion, true);
  }

  /** Called as the view moves: denoise what is visible once the movement settles. */
  requestRegion(region: Rect, immediately = false): void {
    this.lastRegion = region;
    if (this.full) return;
    const p = this.preview;
    if (
      p &&
      !immediately &&
      p.region.x <= region.x &&
      p.region.y <= region.y &&
      p.region.x + p.region.width >= region.x + region.width &&
      p.region.y + p.region.height >= region.y + region.height
    )
      return;
    clearTimeout(this.timer);
    // Say "updating" from now, not only once the debounced request leaves: the view has moved
    // past what the current preview covers.
    this.previewing = true;
    this.timer = setTimeout(() => void this.run(region), immediately ? 0 : DEBOUNCE_MS);
  }

  async denoiseFull(): Promise<void> {
    if (!this.size) return;
    clearTimeout(this.timer);
    this.fullRunning = true;
    if (await this.run(null, Math.max(this.size.width, this.size.height))) this.full = true;
    this.fullRunning = false;
  }

  /** Denoises `region`, or the whole image at full size when null. */
  private async run(region: Rect | null, fullSide = 8192): Promise<boolean> {
    const path = this.path;
    if (!path || !this.image || (region && (region.width <= 0 || region.height <= 0))) {
      this.previewing = false;
      return false;
    }
    const id = ++this.sequence;
    this.previewing = true;
    const result = await fetchPreview(path, region, this.modelId, this.noiseLevel, fullSide);
    if (id !== this.sequence) return false; // a newer request superseded this one
    this.previewing = false;
    if (!result.ok) {
      this.error = result.error;
      return false;
    }
    this.error = null;
    this.preview = result.value;
    return true;
  }
}

export const compare = new CompareStore();
