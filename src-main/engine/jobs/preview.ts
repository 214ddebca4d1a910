// The compare view's live preview: one region of a photo at 1:1 (or the whole photo scaled down),
// original and denoised, as two PNGs. The decoded photo is kept for the next request on the same
// file, so panning or changing strength costs only the network run on the crop.
import { stat } from 'node:fs/promises';
import type { DenoisePreviewResponse, Region } from '../../../src-shared/schemas/denoise.js';
import type { DenoiseJob } from '../contract/denoise-job.js';
import { autoLevelFor, denoiseTiled, type RunnableModel } from '../infer/denoise-tiled.js';
import { estimateNoiseSigma } from '../infer/noise-estimate.js';
import { runtimeLabel } from '../infer/runtime.js';
import { DEFAULT_MARGIN, DEFAULT_TILE_SIZE, reflectIndex } from '../infer/tiling.js';
import { DEFAULT_PIXEL_LIMIT } from '../../../src-shared/schemas/settings.js';
import { decodeImage, type DecodedImage } from '../io/decode.js';
import { colourChannels, to8BitSamples, type Pixels } from '../io/pixels.js';
import { encodePng, resizeSamples8 } from '../io/samples-8bit.js';
import type { PreviewView } from '../contract/protocol.js';
import type { ModelCache } from './model-cache.js';
import { defaultsForPhoto } from './photo-model.js';

/** A rectangle of an image clamped to its bounds (at least 1×1). */
export function clampRegion(region: Region, width: number, height: number): Region {
  const x = Math.min(region.x, width - 1);
  const y = Math.min(region.y, height - 1);
  return {
    x,
    y,
    width: Math.max(1, Math.min(region.width, width - x)),
    height: Math.max(1, Math.min(region.height, height - y)),
  };
}

/** Copies a rectangle out of interleaved pixels. */
export function cropPixels(source: Pixels, r: Region): Pixels {
  const c = source.channels;
  const data = new (source.data.constructor as new (n: number) => Pixels['data'])(r.width * r.height * c);
  for (let y = 0; y < r.height; y++) {
    const from = ((r.y + y) * source.width + r.x) * c;
    data.set(source.data.subarray(from, from + r.width * c), y * r.width * c);
  }
  return { width: r.width, height: r.height, channels: c, data, scale: source.scale };
}

/**
 * A rectangle that may reach past the image's edges, filled there by reflection as the tiler pads
 * its tiles (reflectIndex), so a crop with context denoises as the same pixels would in a batch.
 */
export function cropReflected(source: Pixels, r: { x: number; y: number; width: number; height: number }): Pixels {
  const c = source.channels;
  const data = new (source.data.constructor as new (n: number) => Pixels['data'])(r.width * r.height * c);
  for (let y = 0; y < r.height; y++) {
    const row = reflectIndex(r.y + y, source.height) * source.width;
    for (let x = 0; x < r.width; x++) {
      const from = (row + reflectIndex(r.x + x, source.width)) * c;
      data.set(source.data.subarray(from, from + c), (y * r.width + x) * c);
    }
  }
  return { width: r.width, height: r.height, channels: c, data, scale: source.scale };
}

function to8BitBuffer(p: Pixels): Buffer {
  const data = to8BitSamples(p);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

async function pngBase64(p: Pixels): Promise<string> {
  const png = await encodePng(
    to8BitBuffer(p),
    { width: p.width, height: p.height, channels: p.channels as 1 | 2 | 3 | 4 },
    { compressionLevel: 1 },
  );
  return png.toString('base64');
}

async function scaleToFit(p: Pixels, maxSide: number): Promise<Pixels> {
  const factor = maxSide / Math.max(p.width, p.height);
  if (factor >= 1) return p;
  const shape = { width: p.width, height: p.height, channels: p.channels as 1 | 2 | 3 | 4 };
  const { data, info } = await resizeSamples8(
    to8BitBuffer(p),
    shape,
    Math.max(1, Math.round(p.width * factor)),
    Math.max(1, Math.round(p.height * factor)),
  );
  return {
    width: info.width,
    height: info.height,
    channels: info.channels,
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    scale: 255,
  };
}

/**
 * A manual level names the noise of the photo at full size, but a reduced photo carries less: the
 * reduction averages it down, white noise by the reduction `factor` (width reduced / full), camera
 * noise, correlated over neighbouring pixels, by less. The ratio of the two photos' measured levels
 * says by how much; it is kept between those two cases (texture and JPEG blur the measurement).
 */
export function levelWhenReduced(level: number, measuredFull: number, measuredReduced: number, factor: number): number {
  const ratio = measuredFull > 0 ? measuredReduced / measuredFull : 1;
  return level * Math.min(1, Math.max(factor, ratio));
}

export class PreviewRenderer {
  /** The decoded photo, and its measured noise level once asked for (Auto on a crop uses the whole photo's). */
  private last?: {
    path: string;
    mtimeMs: number;
    pixelLimit: number;
    image: DecodedImage;
    /** `auto`: which Auto measured it (the learned map, or the heuristic with a model's own floor or the app's). */
    level?: { auto: string; value: number };
    sigma?: number;
  };

  constructor(private readonly models: ModelCache) {}

  /** Kept per pixel limit too: a photo decoded under a higher limit must be refused once it is lowered. */
  private async decoded(path: string, pixelLimit: number): Promise<DecodedImage> {
    const { mtimeMs } = await stat(path);
    if (this.last?.path === path && this.last.mtimeMs === mtimeMs && this.last.pixelLimit === pixelLimit)
      return this.last.image;
    const image = await decodeImage(path, pixelLimit);
    this.last = { path, mtimeMs, pixelLimit, image };
    return image;
  }

  /** The measured noise level of the photo decoded last (measured once per photo and model's Auto). */
  private async wholePhotoLevel(model: RunnableModel): Promise<number> {
    const last = this.last!;
    const auto = model.noiseMap ? 'learned' : `heuristic, floor ${model.card.autoFloor ?? 'the app’s'}`;
    if (last.level?.auto !== auto) last.level = { auto, value: await autoLevelFor(model, last.image.pixels) };
    return last.level.value;
  }

  /** The decoded photo's measured noise σ, measured once per photo (a manual level's scale at Fit). */
  private wholePhotoSigma(): number {
    const last = this.last!;
    last.sigma ??= estimateNoiseSigma(last.image.pixels);
    return last.sigma;
  }

  /** `view` of a photo denoised as `job` says; the job's output fields do not apply to a preview. */
  async render(view: PreviewView, job: DenoiseJob, signal?: AbortSignal): Promise<DenoisePreviewResponse> {
    const started = performance.now();
    const { pixels, info } = await this.decoded(view.path, job.pixelLimit ?? DEFAULT_PIXEL_LIMIT);
    const { model, warning: modelWarning } = await this.models.get(
      job.modelId,
      colourChannels(pixels.channels) === 1 ? 1 : 3,
      defaultsForPhoto(job, info.camera),
      job.engine,
    );
    const manual = typeof job.noiseLevel === 'number' ? job.noiseLevel : undefined;
    const runOptions = {
      strength: job.strength,
      quality: job.quality,
      ...(job.tileSize ? { tileSize: job.tileSize } : {}),
      ...(signal ? { signal } : {}),
    };
    let region: Region;
    let original: Pixels;
    let denoised: Pixels;
    let noiseLevel: number | undefined;
    if (view.region) {
      region = clampRegion(view.region, pixels.width, pixels.height);
      noiseLevel = model.card.noiseLevelInput ? (manual ?? (await this.wholePhotoLevel(model))) : undefined;
      const level = noiseLevel !== undefined ? { noiseLevel } : {};
      original = cropPixels(pixels, region);
      // Denoise with real context around the crop so its edges look like the full-size result.
      const withMargin = {
        x: region.x - DEFAULT_MARGIN,
        y: region.y - DEFAULT_MARGIN,
        width: region.width + 2 * DEFAULT_MARGIN,
        height: region.height + 2 * DEFAULT_MARGIN,
      };
      if (Math.max(withMargin.width, withMargin.height) <= (job.tileSize ?? DEFAULT_TILE_SIZE)) {
        // One network tile (a Compare view tile): its margin is the photo itself, reflected past the
        // photo's edges as the tiler would, so the tiler must not pad it again (margin 0) — that
        // would make the network see (384/256)² of a 256-px tile instead of (320/256)².
        const side = Math.max(withMargin.width, withMargin.height);
        const context = await denoiseTiled(cropReflected(pixels, withMargin), model, {
          ...runOptions,
          ...level,
          tileSize: side,
          margin: 0,
        });
        denoised = cropPixels(context, {
          x: DEFAULT_MARGIN,
          y: DEFAULT_MARGIN,
          width: region.width,
          height: region.height,
        });
      } else {
        const context = clampRegion(
          { ...withMargin, x: Math.max(0, withMargin.x), y: Math.max(0, withMargin.y) },
          pixels.width,
          pixels.height,
        );
        const inner = { x: region.x - context.x, y: region.y - context.y, width: region.width, height: region.height };
        denoised = cropPixels(
          await denoiseTiled(cropPixels(pixels, context), model, { ...runOptions, ...level }),
          inner,
        );
      }
    } else {
      region = { x: 0, y: 0, width: pixels.width, height: pixels.height };
      original = await scaleToFit(pixels, view.maxSide);
      // The model is given the reduced photo's noise level: measured on it on Auto, or the manual one scaled down.
      const reducedLevel = (level: number): number =>
        levelWhenReduced(level, this.wholePhotoSigma(), estimateNoiseSigma(original), original.width / pixels.width);
      noiseLevel = model.card.noiseLevelInput
        ? manual === undefined
          ? await autoLevelFor(model, original)
          : reducedLevel(manual)
        : undefined;
      denoised = await denoiseTiled(original, model, {
        ...runOptions,
        ...(noiseLevel !== undefined && { noiseLevel }),
      });
    }
    const warning = [...(modelWarning ? [modelWarning] : []), ...info.warnings].join(' ');
    return {
      region,
      width: original.width,
      height: original.height,
      originalPng: await pngBase64(original),
      denoisedPng: await pngBase64(denoised),
      modelId: model.card.id,
      modelName: model.card.name,
      runtime: runtimeLabel(model.runtime),
      milliseconds: performance.now() - started,
      ...(noiseLevel !== undefined && { noiseLevel }),
      ...(warning ? { warning } : {}),
    };
  }
}
