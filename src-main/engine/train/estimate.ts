// How long a recipe takes on this machine, before it starts: the engine the run would use (ONNX
// Runtime or the tfjs workers, same threads) times a few real training steps on random patches of
// the recipe's shape — the arithmetic does not depend on the pixels — after one warm-up step that
// pays for building the graph. Validation and saving at each epoch's end are costed from the same
// step time (a forward pass is about a third of a step).
import type { TrainConfig, TrainEstimateResponse } from '../../../src-shared/schemas/train.js';
import { RECALIBRATION_PATCHES } from './batchnorm-recalibration.js';
import { startGradientEngine } from './gradient-engine.js';
import { SeededRandom } from '../util/rng.js';
import { inputChannelsOf } from '../models/architectures.js';
import type { BatchShape } from './training-state.js';

const TIMED_STEPS = 4;
/** Seconds to write a model folder (tfjs + ONNX + card), measured at about 1 s on 2 cores. */
const EXPORT_SECONDS = 1;

type Recipe = Pick<TrainConfig, 'arch' | 'channels' | 'loss' | 'weightDecay' | 'batch' | 'patch' | 'epochs' | 'stepsPerEpoch' | 'runtime' | 'workers' | 'valImages' | 'valCrop'>;

export async function estimateTraining(recipe: Recipe, timedSteps = TIMED_STEPS): Promise<TrainEstimateResponse> {
  const inChannels = inputChannelsOf(recipe.arch, recipe.channels);
  const inShape: BatchShape = [recipe.batch, recipe.patch, recipe.patch, inChannels];
  const outShape: BatchShape = [recipe.batch, recipe.patch, recipe.patch, recipe.channels];
  const spec = { arch: recipe.arch, channels: recipe.channels, loss: recipe.loss, weightDecay: recipe.weightDecay };
  const engine = await startGradientEngine(spec, undefined, { runtime: recipe.runtime, workers: recipe.workers, shape: inShape });
  try {
    const rng = new SeededRandom(1);
    const random = (n: number) => Float32Array.from({ length: n }, () => rng.next());
    const input = random(inShape.reduce((a, b) => a * b, 1));
    const target = random(outShape.reduce((a, b) => a * b, 1));
    await engine.step(input, target, inShape, outShape, 0); // warm-up: graph build, first allocation
    const start = performance.now();
    for (let i = 0; i < timedSteps; i++) await engine.step(input, target, inShape, outShape, 0);
    const secondsPerStep = (performance.now() - start) / 1000 / timedSteps;
    const pixelsPerStep = recipe.batch * recipe.patch * recipe.patch;
    const forwardSecondsPerPixel = secondsPerStep / 3 / pixelsPerStep;
    const validationPixels = recipe.valImages * recipe.valCrop * recipe.valCrop + (engine.batchNormLayers > 0 ? RECALIBRATION_PATCHES * recipe.patch * recipe.patch : 0);
    const perEpoch = validationPixels * forwardSecondsPerPixel + EXPORT_SECONDS;
    return {
      secondsPerStep,
      totalSeconds: recipe.epochs * (recipe.stepsPerEpoch * secondsPerStep + perEpoch),
      backend: engine.backend,
    };
  } finally {
    await engine.close();
  }
}
