// A camera model's own Auto floor. AUTO_RULE's floor (3.5, noise-estimate.ts) was fitted on synthetic
// photos for clearframe-photo, and Auto reads at or under it on nearly every smooth high-ISO photo;
// a model fine-tuned on one camera's fitted noise does best there at a level of its own (on
// polyu-dev's two cameras the fitted models gained 0.1–0.16 dB between 3.5 and 5, and so did the
// shipped one). The level is measured where the run can see it without the user's clean photos: on
// held-out training photos with the camera's fitted noise (validation crops, larger and more of them
// than the run's validation), as the mean PSNR at each level of a grid, the best refined by a
// parabola through it and its neighbours. The model's card keeps it (ModelCard.autoFloor) and Auto
// never tells the model less (denoise-tiled.ts: autoLevelFor).
import { join } from 'node:path';
import { int8PassesGuard, ModelCard } from '../../../src-shared/schemas/models.js';
import { CARD_JSON, MODEL_INT8_ONNX, MODEL_ONNX } from '../contract/model-files.js';
import { psnr } from '../infer/metrics.js';
import { createOnnxRuntime, type InferenceRuntime } from '../infer/runtime.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { withNoiseLevel } from './batch.js';
import { denoisedFrom, type ValidationSet } from './validation.js';

/** The levels (0..255) the sweep measures. */
export const FLOOR_LEVELS = [2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 7, 8, 10, 12] as const;
/** The sweep's crops: up to this many held-out photos, a centre crop of this side from each. */
export const FLOOR_SWEEP = { images: 16, crop: 256 } as const;

export interface LevelScore {
  level: number;
  psnr: number;
}

/**
 * The peak of the parabola through the best score and its two neighbours (levels ascending); the
 * best level itself at either end of the grid, or where the three points do not bend down.
 */
export function peakLevel(scores: readonly LevelScore[]): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i]!.psnr > scores[best]!.psnr) best = i;
  if (best === 0 || best === scores.length - 1) return scores[best]!.level;
  const [a, b, c] = [scores[best - 1]!, scores[best]!, scores[best + 1]!];
  // Through (x0,y0), (x1,y1), (x2,y2): the vertex of the interpolating quadratic.
  const d1 = (b.psnr - a.psnr) / (b.level - a.level);
  const d2 = (c.psnr - b.psnr) / (c.level - b.level);
  const curvature = (d2 - d1) / (c.level - a.level);
  if (curvature >= 0) return b.level;
  const vertex = (a.level + b.level) / 2 - d1 / (2 * curvature);
  return Math.min(c.level, Math.max(a.level, vertex));
}

/** Mean PSNR of `runtime` on the crops at each level, the level plane told that level instead of the crop's own. */
export async function levelSweep(
  set: ValidationSet,
  runtime: InferenceRuntime,
  card: Pick<ModelCard, 'output'>,
  levels: readonly number[] = FLOOR_LEVELS,
): Promise<LevelScore[]> {
  const scores: LevelScore[] = [];
  for (const level of levels) {
    let sum = 0;
    for (const crop of set.crops) {
      const input = withNoiseLevel(crop.noisy, set.channels, level);
      const output = (await runtime.run({ data: input, shape: [1, crop.side, crop.side, set.channels + 1] })).data;
      const image = (data: Float32Array) => ({ width: crop.side, height: crop.side, channels: set.channels, data });
      sum += psnr(image(denoisedFrom(crop.noisy, output, card.output)), image(crop.clean));
    }
    scores.push({ level, psnr: sum / set.crops.length });
  }
  return scores;
}

/**
 * Sweeps the model in `folder` (its int8 file when it passed the guard, as the app runs it) on
 * `set` and writes the peak level into its card as autoFloor (rounded to 0.1); answers the card and
 * the sweep.
 */
export async function writeAutoFloor(
  folder: string,
  card: ModelCard,
  set: ValidationSet,
  threads?: number,
): Promise<{ card: ModelCard; scores: LevelScore[] }> {
  const file = card.quantized && int8PassesGuard(card.quantized) ? MODEL_INT8_ONNX : MODEL_ONNX;
  const runtime = await createOnnxRuntime(join(folder, file), { providers: ['cpu'], ...(threads ? { threads } : {}) });
  let scores: LevelScore[];
  try {
    scores = await levelSweep(set, runtime, card);
  } finally {
    await runtime.dispose();
  }
  const autoFloor = Math.round(peakLevel(scores) * 10) / 10;
  const said = `On Auto it is told at least level ${autoFloor}, the level it did best at on ${set.crops.length} crops of ${set.crops[0]?.side ?? 0} px of held-out photos with the camera’s fitted noise.`;
  const updated = ModelCard.parse({
    ...card,
    autoFloor,
    ...(card.details === undefined ? {} : { details: `${card.details} ${said}`.slice(0, 4000) }),
  });
  await writeFileAtomic(join(folder, CARD_JSON), JSON.stringify(updated, null, 2) + '\n');
  return { card: updated, scores };
}
