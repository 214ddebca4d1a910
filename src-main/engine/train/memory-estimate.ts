// Whether a training recipe fits this machine's memory, judged before anything is allocated: a
// batch of 256 patches of 512² drove the engine past 6 GB until the OS killed it. A training step
// keeps every layer's output for the backward pass and a gradient of each, for the whole batch; the
// weights carry a gradient and Adam's two moments. The estimate is deliberately generous (the
// runtime's own workspace comes on top), and a run is refused only when it exceeds the machine.
import os from 'node:os';
import { initBackend } from '../infer/tfjs-backend.js';
import { buildArchitecture } from '../models/architectures.js';
import { EngineError } from '../contract/engine-error.js';
import type { TrainConfig } from '../../../src-shared/schemas/train.js';
import { modelCost } from './model-cost.js';

/** Float32 values kept per layer output and pixel during a step: the output, its gradient, and the runtime's copies. */
const VALUES_PER_ACTIVATION = 3;
/** Weights, their gradient, and Adam's two moments. */
const VALUES_PER_PARAM = 4;
/** The engine process itself, the dataset's decoded images and the runtimes' libraries. */
const BASE_BYTES = 512 * 1024 ** 2;

export function trainingBytes(
  cost: { params: number; activationsPerPixel: number },
  recipe: Pick<TrainConfig, 'batch' | 'patch'>,
): number {
  const pixels = recipe.batch * recipe.patch * recipe.patch;
  return BASE_BYTES + 4 * (VALUES_PER_ACTIVATION * cost.activationsPerPixel * pixels + VALUES_PER_PARAM * cost.params);
}

const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(1)} GB`;

/** Throws EngineError 'invalid-request' with the estimate when the recipe needs more memory than this machine has. */
export async function assertTrainingFits(
  recipe: Pick<TrainConfig, 'arch' | 'channels' | 'batch' | 'patch'>,
  machineBytes = os.totalmem(),
): Promise<void> {
  await initBackend();
  const model = buildArchitecture(recipe.arch, recipe.channels);
  const cost = modelCost(model);
  model.dispose();
  const needed = trainingBytes(cost, recipe);
  if (needed <= machineBytes) return;
  throw new EngineError(
    'invalid-request',
    `Training ${recipe.arch} on batches of ${recipe.batch} patches of ${recipe.patch}×${recipe.patch} px needs about ${gib(needed)} of memory; this machine has ${gib(machineBytes)}. Use a smaller batch or patch size.`,
  );
}
