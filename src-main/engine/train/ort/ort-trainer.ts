// Training on ONNX Runtime: each step feeds the batch and the current weights to the training graph
// (onnx/training-graph.ts), which answers the loss, every weight's gradient and the BatchNorm batch
// statistics; Adam and the moving averages are applied here on plain arrays. The weights stay in
// tfjs layout and order (model.getWeights()) in one TrainingState with the one Adam (adam.ts), so
// checkpoints, resume and export are shared with the tfjs gradient workers. Validation predicts
// through the same ONNX export the app ships. Each training graph's session runs in a thread of its
// own (infer/ort-session-thread.ts): the engine answers a Stop, a thumbnail or a preview while a
// step runs.
import { availableParallelism } from 'node:os';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../infer/tfjs-backend.js';
import { exportToOnnx } from '../../onnx/onnx-export.js';
import { OrtSessionThread, type ThreadTensor } from '../../infer/ort-session-thread.js';
import { createOnnxRuntime, loadOnnxRuntime, type InferenceRuntime } from '../../infer/runtime.js';
import { buildArchitecture } from '../../models/architectures.js';
import { Adam } from '../adam.js';
import { updateMovingStatistics, type ChannelStatistics } from '../batchnorm-recalibration.js';
import {
  checkWeights,
  setWeightsOf,
  weightsOf,
  type BatchShape,
  type NetSpec,
  type TrainingState,
} from '../training-state.js';
import {
  buildTrainingGraph,
  TRAIN_INPUT,
  TRAIN_LOSS,
  TRAIN_TARGET,
  type TrainingGraph,
} from '../../onnx/training-graph.js';

export const ORT_TRAIN_BACKEND = 'onnxruntime-cpu';

export class OrtTrainer {
  /** 'onnxruntime-cpu', or 'onnxruntime-<provider>' when another execution provider trains. */
  readonly backend: string;
  private readonly sessions = new Map<string, Promise<{ session: OrtSessionThread; graph: TrainingGraph }>>();
  private readonly adam: Adam;
  private readonly params: Float32Array[];
  private predictor: { version: number; runtime: InferenceRuntime } | undefined;
  private version = 0;
  readonly batchNormLayers: number;

  private constructor(
    private readonly model: tfl.LayersModel,
    private readonly spec: NetSpec,
    private readonly weights: Float32Array[],
    private readonly shapes: number[][],
    private readonly trainableIndex: number[],
    readonly size: number,
    /** The execution provider running the training graph (and validation predictions). */
    readonly provider: string,
  ) {
    this.backend = provider === 'cpu' ? ORT_TRAIN_BACKEND : `onnxruntime-${provider}`;
    this.params = trainableIndex.map((i) => weights[i]!);
    this.adam = new Adam(this.params);
    this.batchNormLayers = model.layers.filter((l) => l.getClassName() === 'BatchNormalization').length;
  }

  /**
   * Builds the network (fresh initial weights, or `from`), ready to step on `threads` cores. With
   * `shape`, its training graph is built and loaded now, so a network ONNX Runtime cannot train
   * fails here, where the caller can still choose tfjs, rather than at the first step. `provider`:
   * the execution provider for the training graph (default cpu; any provider that runs its
   * ordinary ONNX operators can train, e.g. webgpu).
   */
  static async start(
    spec: NetSpec,
    from?: TrainingState,
    threads = availableParallelism(),
    shape?: BatchShape,
    provider = 'cpu',
  ): Promise<OrtTrainer> {
    await loadOnnxRuntime(); // fails here, where the caller can still choose tfjs, when it cannot load
    await initBackend(); // the tfjs model only holds the architecture and initial weights
    const model = buildArchitecture(spec.arch, spec.channels);
    const shapes = model.weights.map((w) => w.shape as number[]);
    const weights = from ? from.weights.map((w) => Float32Array.from(w)) : weightsOf(model);
    checkWeights(model, weights, spec.arch);
    const trainableIndex = model.trainableWeights.map((w) => model.weights.indexOf(w));
    const trainer = new OrtTrainer(model, spec, weights, shapes, trainableIndex, Math.max(1, threads), provider);
    if (from) trainer.adam.setState(from.optimizer);
    if (shape) {
      try {
        await trainer.sessionFor(shape);
      } catch (error) {
        await trainer.close();
        throw error;
      }
    }
    return trainer;
  }

  private sessionFor(inShape: BatchShape): Promise<{ session: OrtSessionThread; graph: TrainingGraph }> {
    const key = inShape.join('x');
    let entry = this.sessions.get(key);
    if (!entry) {
      // 'extended', not 'all': the NCHWc layout pass of 'all' reorders the im2col convolutions'
      // outputs back and forth; a training step ran 12% faster without it.
      const graph = buildTrainingGraph(this.model, {
        batch: inShape[0],
        height: inShape[1],
        width: inShape[2],
        loss: this.spec.loss,
      });
      entry = OrtSessionThread.open({
        model: graph.bytes,
        provider: this.provider,
        intraOpNumThreads: this.size,
        graphOptimizationLevel: 'extended',
      }).then((session) => ({
        session,
        graph,
      }));
      this.sessions.set(key, entry);
    }
    return entry;
  }

  private feeds(
    graph: TrainingGraph,
    input: Float32Array,
    target: Float32Array,
    inShape: BatchShape,
    outShape: BatchShape,
  ): Record<string, ThreadTensor> {
    const feeds: Record<string, ThreadTensor> = {
      [TRAIN_INPUT]: { data: input, dims: inShape },
      [TRAIN_TARGET]: { data: target, dims: outShape },
    };
    graph.paramInputs.forEach((name, i) => {
      const index = this.trainableIndex[i]!;
      feeds[name] = { data: this.weights[index]!, dims: this.shapes[index]! };
    });
    return feeds;
  }

  /** One Adam step on the whole batch; answers its mean loss. */
  async step(
    input: Float32Array,
    target: Float32Array,
    inShape: BatchShape,
    outShape: BatchShape,
    lr: number,
  ): Promise<number> {
    const { session, graph } = await this.sessionFor(inShape);
    const result = await session.run(this.feeds(graph, input, target, inShape, outShape));
    const loss = result[TRAIN_LOSS]!.data[0]!;
    const grads = graph.gradOutputs.map((name) => result[name]!.data);
    this.adam.apply(grads, lr, this.spec.weightDecay);
    for (const bn of graph.batchNorms) {
      const moving = { mean: this.weights[bn.meanIndex]!, variance: this.weights[bn.varianceIndex]! };
      const batch = { mean: result[bn.meanOutput]!.data, variance: result[bn.varianceOutput]!.data };
      updateMovingStatistics(moving, batch, bn.momentum);
    }
    this.version += 1;
    return loss;
  }

  /** The training graph's batch statistics; only they are fetched, so ORT skips the backward pass. */
  async batchNormStatistics(input: Float32Array, shape: BatchShape): Promise<ChannelStatistics[]> {
    const { session, graph } = await this.sessionFor(shape);
    const outShape: BatchShape = [shape[0], shape[1], shape[2], this.spec.channels];
    const target = new Float32Array(outShape.reduce((a, b) => a * b, 1));
    const fetches = graph.batchNorms.flatMap((bn) => [bn.meanOutput, bn.varianceOutput]);
    const result = await session.run(this.feeds(graph, input, target, shape, outShape), fetches);
    return graph.batchNorms.map((bn) => ({
      mean: result[bn.meanOutput]!.data,
      variance: result[bn.varianceOutput]!.data,
    }));
  }

  async setBatchNormStatistics(stats: ChannelStatistics[]): Promise<void> {
    const bnLayers = this.model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
    if (stats.length !== bnLayers.length)
      throw new Error(`${stats.length} BatchNorm statistics for ${bnLayers.length} layers`);
    bnLayers.forEach((layer, i) => {
      const [movingMean, movingVariance] = layer.nonTrainableWeights;
      this.weights[this.model.weights.indexOf(movingMean!)]!.set(stats[i]!.mean);
      this.weights[this.model.weights.indexOf(movingVariance!)]!.set(stats[i]!.variance);
    });
    this.version += 1;
  }

  /** Inference (BatchNorm on moving statistics) through the exported ONNX graph. */
  async predict(input: Float32Array, shape: BatchShape): Promise<Float32Array> {
    if (this.predictor?.version !== this.version) {
      await this.predictor?.runtime.dispose();
      this.predictor = undefined;
      setWeightsOf(this.model, this.weights, this.spec.arch);
      this.predictor = {
        version: this.version,
        runtime: await createOnnxRuntime(exportToOnnx(this.model), { providers: [this.provider], threads: this.size }),
      };
    }
    return (await this.predictor.runtime.run({ data: input, shape })).data;
  }

  async state(): Promise<TrainingState> {
    return { weights: this.weights.map((w) => w.slice()), optimizer: this.adam.getState() };
  }

  async close(): Promise<void> {
    await this.predictor?.runtime.dispose();
    this.predictor = undefined;
    for (const entry of this.sessions.values())
      await entry.then(
        (e) => e.session.release(),
        () => undefined,
      );
    this.sessions.clear();
    this.model.dispose();
  }
}
