// One copy of a network with its optimizer: computes gradients on a batch, applies averaged ones,
// predicts, and moves its weights and optimizer state in and out as plain arrays. Each gradient
// worker holds one; tests use it in-process. Every call disposes what it creates.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ArchitectureId } from '../../../src-shared/schemas/models.js';
import { buildArchitecture } from '../models/architectures.js';
import { Adam, type AdamState } from './adam.js';
import type { ChannelStatistics } from './batchnorm-recalibration.js';

export type LossKind = 'mse' | 'l1';

export interface NetSpec {
  arch: ArchitectureId;
  channels: 1 | 3;
  loss: LossKind;
  weightDecay: number;
}

/** NHWC shape of a batch as it travels between threads (flat Float32Array + this). */
export type BatchShape = [number, number, number, number];

export class TrainableNet {
  readonly model: tfl.LayersModel;
  private readonly vars: tf.Variable[];
  private readonly adam: Adam;
  private readonly batchNorms: tfl.layers.Layer[];
  /** The same layers, answering every BatchNorm layer's input (built on first use). */
  private batchNormInputs: tfl.LayersModel | undefined;

  constructor(readonly spec: NetSpec) {
    this.model = buildArchitecture(spec.arch, spec.channels);
    // LayerVariable.read() is the backing tf.Variable the optimizer must update in place.
    this.vars = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.adam = new Adam(this.vars);
    this.batchNorms = this.model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
  }

  get batchNormLayers(): number {
    return this.batchNorms.length;
  }

  /** Each BatchNorm layer's input statistics over this batch, in training mode (batch statistics upstream). */
  batchNormStatistics(input: Float32Array, shape: BatchShape): ChannelStatistics[] {
    if (this.batchNorms.length === 0) return [];
    this.batchNormInputs ??= tfl.model({ inputs: this.model.inputs, outputs: this.batchNorms.map((l) => l.input as tfl.SymbolicTensor) });
    const inputsModel = this.batchNormInputs;
    return tf.tidy(() => {
      const outputs = inputsModel.apply(tf.tensor4d(input, shape), { training: true }) as tf.Tensor | tf.Tensor[];
      return (Array.isArray(outputs) ? outputs : [outputs]).map((x) => {
        const { mean, variance } = tf.moments(x, [0, 1, 2]);
        return { mean: mean.dataSync() as Float32Array, variance: variance.dataSync() as Float32Array };
      });
    });
  }

  setBatchNormStatistics(stats: ChannelStatistics[]): void {
    if (stats.length !== this.batchNorms.length) throw new Error(`${stats.length} BatchNorm statistics for ${this.batchNorms.length} layers`);
    this.batchNorms.forEach((layer, i) => {
      const [movingMean, movingVariance] = layer.nonTrainableWeights;
      tf.tidy(() => {
        movingMean!.write(tf.tensor1d(stats[i]!.mean));
        movingVariance!.write(tf.tensor1d(stats[i]!.variance));
      });
    });
  }

  private lossOf(output: tf.Tensor, target: tf.Tensor): tf.Scalar {
    const diff = tf.sub(output, target);
    return (this.spec.loss === 'l1' ? tf.mean(tf.abs(diff)) : tf.mean(tf.square(diff))) as tf.Scalar;
  }

  computeGradients(input: Float32Array, target: Float32Array, inShape: BatchShape, outShape: BatchShape): { grads: Float32Array[]; loss: number } {
    return tf.tidy(() => {
      const x = tf.tensor4d(input, inShape);
      const y = tf.tensor4d(target, outShape);
      const { value, grads } = tf.variableGrads(() => this.lossOf(this.model.apply(x, { training: true }) as tf.Tensor, y), this.vars);
      return {
        loss: value.dataSync()[0]!,
        grads: this.vars.map((v) => grads[v.name]!.dataSync() as Float32Array),
      };
    });
  }

  applyGradients(grads: Float32Array[], lr: number): void {
    const tensors = grads.map((g, i) => tf.tensor(g, this.vars[i]!.shape));
    try {
      this.adam.apply(tensors, lr, this.spec.weightDecay);
    } finally {
      tf.dispose(tensors);
    }
  }

  predict(input: Float32Array, shape: BatchShape): Float32Array {
    return tf.tidy(() => (this.model.predict(tf.tensor4d(input, shape)) as tf.Tensor).dataSync() as Float32Array);
  }

  /** All weights (trainable and BatchNorm statistics), in the model's order. */
  getWeights(): Float32Array[] {
    return this.model.getWeights().map((w) => w.dataSync() as Float32Array);
  }

  setWeights(weights: Float32Array[]): void {
    const current = this.model.getWeights();
    if (weights.length !== current.length) throw new Error(`Checkpoint holds ${weights.length} weight tensors, ${this.spec.arch} has ${current.length}`);
    const tensors = weights.map((w, i) => tf.tensor(w, current[i]!.shape));
    this.model.setWeights(tensors);
    tf.dispose(tensors);
  }

  getOptimizerState(): AdamState {
    return this.adam.getState();
  }

  setOptimizerState(state: AdamState): void {
    this.adam.setState(state);
  }

  dispose(): void {
    this.adam.dispose();
    this.model.dispose();
  }
}
