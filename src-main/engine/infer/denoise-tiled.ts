// Denoises a whole image tile by tile through a model's runtime, applying the model I/O convention
// (clean image vs noise to subtract), the channel plan, and the strength blend
// output = original + s·(denoised − original). Alpha and any channel the plan does not touch are
// copied unchanged. Memory: the source and the result in native depth plus one tile of floats.
import { EngineError } from '../contract/engine-error.js';
import { DEFAULT_STRENGTH } from '../../../src-shared/denoise-defaults.js';
import type { ModelCard } from '../../../src-shared/schemas/models.js';
import type { DenoiseJob } from '../contract/denoise-job.js';
import { clonePixels, colourChannels, storeSample, type Pixels } from '../io/pixels.js';
import { planChannelGroups, type ChannelGroup } from './channel-plan.js';
import { AUTO_LEVEL_FLOOR, autoNoiseLevel, CORRELATED_GAIN } from './noise-estimate.js';
import type { NoiseLevelEstimator } from './noise-map.js';
import type { InferenceRuntime } from './runtime.js';
import { ensembleRun, type HwcTile } from './self-ensemble.js';
import { DEFAULT_MARGIN, DEFAULT_TILE_SIZE, planTiles, readTileInput, type Tile } from './tiling.js';

export interface RunnableModel {
  card: ModelCard;
  runtime: InferenceRuntime;
  /** Auto's learned estimator (noise-level models, when it is shipped); without it Auto is the Haar heuristic. */
  noiseMap?: NoiseLevelEstimator;
}

/**
 * The level Auto tells `model` for `image`: the learned estimator's when the model has one, else the
 * heuristic's, never under the model's own floor (a camera model's, ModelCard.autoFloor) where it has one.
 */
export async function autoLevelFor(model: RunnableModel, image: Pixels): Promise<number> {
  return model.noiseMap
    ? model.noiseMap.level(image)
    : autoNoiseLevel(image, CORRELATED_GAIN, model.card.autoFloor ?? AUTO_LEVEL_FLOOR);
}

/**
 * The parts of a job the tiles use (strength absent → DEFAULT_STRENGTH; noiseLevel absent or 'auto' → estimated
 * from this image; quality 'max' → self-ensemble over the 8 flips/rotations of each tile).
 */
export interface DenoiseOptions extends Partial<Pick<DenoiseJob, 'strength' | 'tileSize' | 'noiseLevel' | 'quality'>> {
  margin?: number;
  signal?: AbortSignal;
  onTile?: (done: number, total: number) => void;
}

/** How many network runs denoiseTiled will make for an image (for progress before it starts). */
export function countTiles(
  width: number,
  height: number,
  channels: number,
  card: ModelCard,
  options: Pick<DenoiseOptions, 'tileSize' | 'margin'> = {},
): number {
  const tiles = planTiles(width, height, {
    tileSize: options.tileSize ?? DEFAULT_TILE_SIZE,
    margin: options.margin ?? DEFAULT_MARGIN,
    sizeMultiple: card.sizeMultiple,
  });
  return tiles.length * planChannelGroups(card.channels, colourChannels(channels)).length;
}

/**
 * Writes the core of one tile's network output into `result`: clean = output, or input − output for
 * noise-predicting models; then original + strength·(clean − original). A plain loop (no per-pixel
 * closures): it runs for every sample of 100-MP photos.
 */
function writeTileCore(
  image: Pixels,
  result: Pixels,
  tile: Tile,
  group: ChannelGroup,
  input: Float32Array,
  inC: number,
  out: Float32Array,
  outC: number,
  isNoise: boolean,
  strength: number,
): void {
  const inv = 1 / image.scale;
  const offX = tile.x - tile.inX;
  const offY = tile.y - tile.inY;
  const ic = image.channels;
  const mean = group.targets === 'mean';
  const targets = mean ? [group.sources[0]!] : (group.targets as number[]);
  for (let y = 0; y < tile.height; y++) {
    const tileRow = (offY + y) * tile.inWidth + offX;
    const imageRow = (tile.y + y) * image.width + tile.x;
    for (let x = 0; x < tile.width; x++) {
      const t = tileRow + x;
      const p = (imageRow + x) * ic;
      if (mean) {
        let sum = 0;
        for (let k = 0; k < outC; k++) sum += isNoise ? input[t * inC + k]! - out[t * outC + k]! : out[t * outC + k]!;
        const ch = targets[0]!;
        const original = image.data[p + ch]! * inv;
        storeSample(result, p + ch, original + strength * (sum / outC - original));
      } else {
        for (let k = 0; k < outC; k++) {
          const clean = isNoise ? input[t * inC + k]! - out[t * outC + k]! : out[t * outC + k]!;
          const ch = targets[k]!;
          const original = image.data[p + ch]! * inv;
          storeSample(result, p + ch, original + strength * (clean - original));
        }
      }
    }
  }
}

async function runTile(runtime: InferenceRuntime, tile: HwcTile, signal: AbortSignal | undefined): Promise<HwcTile> {
  const output = await runtime.run({ data: tile.data, shape: [1, tile.height, tile.width, tile.channels] }, signal);
  return { data: output.data, height: output.shape[1], width: output.shape[2], channels: output.shape[3] };
}

export async function denoiseTiled(image: Pixels, model: RunnableModel, options: DenoiseOptions = {}): Promise<Pixels> {
  const { card, runtime } = model;
  const strength = options.strength ?? DEFAULT_STRENGTH;
  const tiles = planTiles(image.width, image.height, {
    tileSize: options.tileSize ?? DEFAULT_TILE_SIZE,
    margin: options.margin ?? DEFAULT_MARGIN,
    sizeMultiple: card.sizeMultiple,
  });
  const groups = planChannelGroups(card.channels, colourChannels(image.channels));
  const level = typeof options.noiseLevel === 'number' ? options.noiseLevel : undefined;
  const sigmaPlane = card.noiseLevelInput ? (level ?? (await autoLevelFor(model, image))) / 255 : undefined;
  const result = clonePixels(image);
  const total = tiles.length * groups.length;
  let done = 0;
  for (const tile of tiles) {
    for (const group of groups) {
      if (options.signal?.aborted) throw new EngineError('cancelled', 'Denoising was cancelled');
      const input = readTileInput(image, tile, group.sources, sigmaPlane);
      const inC = group.sources.length + (sigmaPlane === undefined ? 0 : 1);
      const tileIn = { data: input, height: tile.inHeight, width: tile.inWidth, channels: inC };
      const output =
        options.quality === 'max'
          ? await ensembleRun(tileIn, (t) => runTile(runtime, t, options.signal))
          : await runTile(runtime, tileIn, options.signal);
      writeTileCore(
        image,
        result,
        tile,
        group,
        input,
        inC,
        output.data,
        output.channels,
        card.output === 'noise',
        strength,
      );
      options.onTile?.(++done, total);
    }
  }
  // A cancel that came during the last tile: the caller must not go on to write the result.
  if (options.signal?.aborted) throw new EngineError('cancelled', 'Denoising was cancelled');
  return result;
}
