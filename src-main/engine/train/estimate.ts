// How long a recipe takes on this machine, before it starts, costed as the run spends it:
// - steps: a few real training steps on the engine the run would use (ONNX Runtime or the tfjs
//   workers, same threads), each drawing its batch as the run does — the recipe's noise on patches
//   of a synthetic photo (camera noise is simulated in JavaScript and costs about 40 % of a camera
//   step), the next batch while this one's gradient runs — after one warm-up step that pays for
//   building the graph;
// - validations: as many as validation-schedule.ts makes (the start's, every 25 steps up to 200,
//   each epoch's end), each a measured prediction of the validation crops (its first, which builds
//   the inference session, timed apart), BatchNorm recalibration and an export;
// - the int8 version at the end (config.int8): calibration passes, the guard's two measurements and
//   the speed figure at the measured forward rate, plus the sessions it builds;
// - a camera run's Auto floor (config.valNoise): the level sweep at the same rate.
// The old model (steps on fixed random tensors, validation as a third of a step, nothing else) said
// 10 min 8 s for a Quick run that took about 13 min.
import type { TrainConfig, TrainEstimateResponse } from '../../../src-shared/schemas/train.js';
import { architectureOf, inputChannelsOf } from '../models/architectures.js';
import { SeededRandom } from '../util/rng.js';
import { sampleBatch } from './batch.js';
import { FLOOR_LEVELS, FLOOR_SWEEP } from './auto-floor.js';
import { RECALIBRATION_PATCHES } from './batchnorm-recalibration.js';
import type { ImagePair } from './dataset.js';
import { startGradientEngine } from './gradient-engine.js';
import { netSpecOf, type BatchShape } from './training-state.js';
import { validationCount } from '../../../src-shared/validation-schedule.js';

const TIMED_STEPS = 4;
/** Seconds to write a model folder (tfjs + ONNX + card), measured at about 1 s on 2 cores. */
const EXPORT_SECONDS = 1;
/** The int8 step's fixed cost: graph rewriting and four inference sessions (measured, see bench/train-estimate.ts). */
const INT8_FIXED_SECONDS = 6;
/** Pixels the int8 step runs through the float model besides the validation crops: two calibration passes of 256 patches, and 12 speed tiles of 256². */
const int8Pixels = (patch: number): number => 2 * 256 * patch * patch + 12 * 256 * 256;

type Recipe = Pick<
  TrainConfig,
  | 'arch'
  | 'channels'
  | 'loss'
  | 'weightDecay'
  | 'batch'
  | 'patch'
  | 'epochs'
  | 'stepsPerEpoch'
  | 'runtime'
  | 'workers'
  | 'valImages'
  | 'valCrop'
  | 'noise'
  | 'valNoise'
  | 'int8'
>;

/** A photo-sized stand-in for the dataset: the cost of drawing a batch does not depend on the pixels. */
function syntheticPair(recipe: Recipe, rng: SeededRandom): ImagePair {
  const side = Math.max(2 * recipe.patch, recipe.valCrop);
  const data = new Uint8Array(side * side * recipe.channels).map(() => Math.floor(rng.next() * 256));
  return { name: 'synthetic', clean: { width: side, height: side, channels: recipe.channels, data } };
}

export async function estimateTraining(recipe: Recipe, timedSteps = TIMED_STEPS): Promise<TrainEstimateResponse> {
  const inChannels = inputChannelsOf(recipe.arch, recipe.channels);
  const inShape: BatchShape = [recipe.batch, recipe.patch, recipe.patch, inChannels];
  const engine = await startGradientEngine(netSpecOf(recipe), undefined, {
    runtime: recipe.runtime,
    workers: recipe.workers,
    shape: inShape,
  });
  try {
    const rng = new SeededRandom(1);
    const pairs = [syntheticPair(recipe, rng)];
    const { noiseLevelInput, output } = architectureOf(recipe.arch);
    const batchSpec = {
      batch: recipe.batch,
      patch: recipe.patch,
      channels: recipe.channels,
      noise: recipe.noise,
      noiseLevelInput,
      output,
    };
    // As the run steps: the next batch is drawn while the gradient of this one runs (trainer.ts: drawAhead).
    let next = sampleBatch(pairs, batchSpec, rng);
    const step = async (last: boolean) => {
      const batch = await next;
      const stepping = engine.step(batch.input, batch.target, batch.inShape, batch.outShape, 0);
      if (!last) next = sampleBatch(pairs, batchSpec, rng);
      await stepping;
    };
    await step(false); // warm-up: graph build, first allocation
    let started = performance.now();
    for (let i = 0; i < timedSteps; i++) await step(i === timedSteps - 1);
    const secondsPerStep = (performance.now() - started) / 1000 / timedSteps;

    const crop: BatchShape = [1, recipe.valCrop, recipe.valCrop, inChannels];
    const cropInput = new Float32Array(recipe.valCrop * recipe.valCrop * inChannels).map(() => rng.next());
    started = performance.now();
    await engine.predict(cropInput, crop); // builds the inference session, as each validation's first crop does
    const firstCropSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    await engine.predict(cropInput, crop);
    const cropSeconds = (performance.now() - started) / 1000;
    const forwardSecondsPerPixel = cropSeconds / (recipe.valCrop * recipe.valCrop);

    const recalibration =
      engine.batchNormLayers > 0 ? RECALIBRATION_PATCHES * recipe.patch * recipe.patch * forwardSecondsPerPixel : 0;
    const perValidation = firstCropSeconds + (recipe.valImages - 1) * cropSeconds + recalibration + EXPORT_SECONDS;
    const int8 = recipe.int8
      ? INT8_FIXED_SECONDS +
        (int8Pixels(recipe.patch) + 2 * recipe.valImages * recipe.valCrop * recipe.valCrop) * forwardSecondsPerPixel
      : 0;
    // A camera run's Auto floor: the sweep's levels over its crops (auto-floor.ts), at the float rate.
    const floor = recipe.valNoise
      ? FLOOR_LEVELS.length * FLOOR_SWEEP.images * FLOOR_SWEEP.crop ** 2 * forwardSecondsPerPixel
      : 0;
    return {
      secondsPerStep,
      totalSeconds:
        recipe.epochs * recipe.stepsPerEpoch * secondsPerStep +
        validationCount(recipe.epochs, recipe.stepsPerEpoch) * perValidation +
        int8 +
        floor,
      secondsPerValidation: perValidation,
      finishSeconds: int8 + floor,
      backend: engine.backend,
    };
  } finally {
    await engine.close();
  }
}
