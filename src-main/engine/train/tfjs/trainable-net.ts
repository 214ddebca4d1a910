// One copy of a network for the tfjs trainer: computes gradients and BatchNorm batch statistics on
// a batch, applies averaged ones (the shared Adam, the shared moving-average rule), predicts, and
// moves its weights and optimizer state in and out as plain arrays. Each gradient worker holds one;
// tests use it in-process. Every call disposes what it creates.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { buildArchitecture } from '../../models/architectures.js';
import { batchNormConfig } from '../../onnx/layer-config.js';
import { Adam, type AdamState } from '../adam.js';
import { updateMovingStatistics, type ChannelStatistics } from '../batchnorm-recalibration.js';
import { setWeightsOf, weightsOf, type BatchShape, type NetSpec } from '../training-state.js';

/** What one batch teaches: the loss, every trainable weight's gradient, every BatchNorm's batch statistics. */
export interface BatchGradients {
  loss: number;
  grads: Float32Array[];
  /** Per BatchNorm layer in model order: its input's mean and (biased) variance over this batch. */
  batchNorm: ChannelStatistics[];
}

export class TrainableNet {
  readonly model: tfl.LayersModel;
  private readonly vars: tf.Variable[];
  /** The trainable weights as arrays: Adam updates these, then they are written to `vars`. */
  private readonly params: Float32Array[];
  private readonly adam: Adam;
  private readonly batchNorms: tfl.layers.Layer[];
  /** The same layers, answering every BatchNorm layer's input (built on first use). */
  private batchNormInputs: tfl.LayersModel | undefined;

  constructor(readonly spec: NetSpec) {
    this.model = buildArchitecture(spec.arch, spec.channels);
    // LayerVariable.read() is the backing tf.Variable the optimizer must update in place.
    this.vars = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.params = this.vars.map((v) => Float32Array.from(v.dataSync()));
    this.adam = new Adam(this.params);
    this.batchNorms = this.model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
  }

  get batchNormLayers(): number {
    return this.batchNorms.length;
  }

  /** Each BatchNorm layer's input statistics over this batch, in training mode (batch statistics upstream). */
  batchNormStatistics(input: Float32Array, shape: BatchShape): ChannelStatistics[] {
    if (this.batchNorms.length === 0) return [];
    this.batchNormInputs ??= tfl.model({
      inputs: this.model.inputs,
      outputs: this.batchNorms.map((l) => l.input as tfl.SymbolicTensor),
    });
    const inputsModel = this.batchNormInputs;
    return tf.tidy(() => {
      const outputs = inputsModel.apply(tf.tensor4d(input, shape), { training: true }) as tf.Tensor | tf.Tensor[];
      return (Array.isArray(outputs) ? outputs : [outputs]).map((x) => {
        const { mean, variance } = tf.moments(x, [0, 1, 2]);
        return { mean: mean.dataSync() as Float32Array, variance: variance.dataSync() as Float32Array };
      });
    });
  }

  /** Every BatchNorm layer's moving mean and variance, copied out. */
  private movingStatistics(): ChannelStatistics[] {
    return this.batchNorms.map((layer) => {
      const [movingMean, movingVariance] = layer.nonTrainableWeights;
      return {
        mean: Float32Array.from(movingMean!.read().dataSync()),
        variance: Float32Array.from(movingVariance!.read().dataSync()),
      };
    });
  }

  setBatchNormStatistics(stats: ChannelStatistics[]): void {
    if (stats.length !== this.batchNorms.length)
      throw new Error(`${stats.length} BatchNorm statistics for ${this.batchNorms.length} layers`);
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

  /**
   * Loss, gradients and BatchNorm batch statistics of one batch; the weights and moving statistics
   * are left as they were. tfjs-layers moves a BatchNorm's moving statistics itself in training
   * mode (by 1 − momentum towards the batch's); with them zeroed first, what it leaves is the batch
   * statistics times 1 − momentum, which gives them back without another forward pass. The moving
   * statistics are then restored: applyGradients moves them, with the statistics of the whole batch
   * when the batch was split across workers.
   */
  computeGradients(
    input: Float32Array,
    target: Float32Array,
    inShape: BatchShape,
    outShape: BatchShape,
  ): BatchGradients {
    const saved = this.movingStatistics();
    this.setBatchNormStatistics(
      saved.map((s) => ({ mean: new Float32Array(s.mean.length), variance: new Float32Array(s.variance.length) })),
    );
    try {
      const { loss, grads } = tf.tidy(() => {
        const x = tf.tensor4d(input, inShape);
        const y = tf.tensor4d(target, outShape);
        const { value, grads } = tf.variableGrads(
          () => this.lossOf(this.model.apply(x, { training: true }) as tf.Tensor, y),
          this.vars,
        );
        return {
          loss: value.dataSync()[0]!,
          grads: this.vars.map((v) => grads[v.name]!.dataSync() as Float32Array),
        };
      });
      const batchNorm = this.movingStatistics().map((scaled, i) => {
        // tfjs multiplies by 1 − momentum in float32.
        const decay = Math.fround(1 - batchNormConfig(this.batchNorms[i]!).momentum);
        return { mean: scaled.mean.map((v) => v / decay), variance: scaled.variance.map((v) => v / decay) };
      });
      return { loss, grads, batchNorm };
    } finally {
      this.setBatchNormStatistics(saved);
    }
  }

  /**
   * One training step's update: Adam on the (averaged) gradients, and every BatchNorm's moving
   * statistics moved towards `batchNorm`, the batch statistics of the whole batch.
   */
  applyGradients(grads: Float32Array[], lr: number, batchNorm: ChannelStatistics[]): void {
    this.adam.apply(grads, lr, this.spec.weightDecay);
    tf.tidy(() => this.vars.forEach((v, i) => v.assign(tf.tensor(this.params[i]!, v.shape))));
    if (batchNorm.length !== this.batchNorms.length)
      throw new Error(`${batchNorm.length} BatchNorm statistics for ${this.batchNorms.length} layers`);
    const moving = this.movingStatistics();
    moving.forEach((m, i) => updateMovingStatistics(m, batchNorm[i]!, batchNormConfig(this.batchNorms[i]!).momentum));
    this.setBatchNormStatistics(moving);
  }

  predict(input: Float32Array, shape: BatchShape): Float32Array {
    return tf.tidy(() => (this.model.predict(tf.tensor4d(input, shape)) as tf.Tensor).dataSync() as Float32Array);
  }

  /** All weights (trainable and BatchNorm statistics), in the model's order. */
  getWeights(): Float32Array[] {
    return weightsOf(this.model);
  }

  /** Loads weights (the optimizer keeps its moments: resume sets both). */
  setWeights(weights: Float32Array[]): void {
    setWeightsOf(this.model, weights, this.spec.arch);
    this.vars.forEach((v, i) => this.params[i]!.set(v.dataSync()));
  }

  getOptimizerState(): AdamState {
    return this.adam.getState();
  }

  setOptimizerState(state: AdamState): void {
    this.adam.setState(state);
  }

  dispose(): void {
    this.model.dispose();
  }
}
