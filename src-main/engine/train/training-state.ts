// What a training run is, whichever engine steps it (ONNX Runtime's graph or the tfjs workers): the
// network it trains (NetSpec), the shape batches travel in, and the state it checkpoints and resumes
// from. One state for both engines: every weight in tfjs layout and model.getWeights() order
// (BatchNorm moving statistics included) plus the Adam state of the trainable ones, so a run
// checkpointed by one engine resumes on the other and exports the same model.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ArchitectureId } from '../../../src-shared/schemas/models.js';
import type { TrainingState } from '../contract/checkpoint.js';

export type LossKind = 'mse' | 'l1';

export interface NetSpec {
  arch: ArchitectureId;
  channels: 1 | 3;
  loss: LossKind;
  weightDecay: number;
}

/** The network a recipe trains: the same for its run, its resumes, a recalibration and its estimate. */
export function netSpecOf(recipe: NetSpec): NetSpec {
  return { arch: recipe.arch, channels: recipe.channels, loss: recipe.loss, weightDecay: recipe.weightDecay };
}

/** NHWC shape of a batch as it travels between threads (flat Float32Array + this). */
export type BatchShape = [number, number, number, number];

export type { TrainingState };

/** All of `model`'s weights (trainable and BatchNorm statistics) as arrays, in its order. */
export function weightsOf(model: tfl.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => Float32Array.from(w.dataSync()));
}

/** Checks `weights` against `model`'s weights (count and sizes), naming the architecture when they differ. */
export function checkWeights(model: tfl.LayersModel, weights: readonly Float32Array[], arch: ArchitectureId): void {
  const shapes = model.weights.map((w) => w.shape as number[]);
  if (weights.length !== shapes.length)
    throw new Error(`Checkpoint holds ${weights.length} weight tensors, ${arch} has ${shapes.length}`);
  weights.forEach((w, i) => {
    const expected = shapes[i]!.reduce((a, b) => a * b, 1);
    if (w.length !== expected)
      throw new Error(`Checkpoint weight ${i} has ${w.length} values, ${arch} needs ${expected}`);
  });
}

/** Loads `weights` (checked) into `model`. */
export function setWeightsOf(model: tfl.LayersModel, weights: readonly Float32Array[], arch: ArchitectureId): void {
  checkWeights(model, weights, arch);
  const tensors = weights.map((w, i) => tf.tensor(w, model.weights[i]!.shape as number[]));
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
}
