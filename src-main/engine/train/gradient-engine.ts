// What the training loop steps, as engine-choice.ts decides: tfjs-node-gpu (one worker) under auto
// where it is installed and loads; ONNX Runtime's training graph (ort/ort-trainer.ts) on the chosen
// execution provider where it loads and the architecture has gradient rules there; otherwise the tfjs gradient workers
// (tfjs/gradient-pool.ts, the fallback; README "Speed" says when it is used). Both keep one
// TrainingState with the same Adam, so a run checkpointed by one resumes on the other.
import os from 'node:os';
import type { TrainConfig } from '../../../src-shared/schemas/train.js';
import type { TfBackendId } from '../infer/tfjs-backend.js';
import type { BatchNormEngine } from './batchnorm-recalibration.js';
import { GradientPool } from './tfjs/gradient-pool.js';
import { OrtTrainer } from './ort/ort-trainer.js';
import type { BatchShape, NetSpec, TrainingState } from './training-state.js';
import { chooseTrainingEngine, nodeGpuInstalled, type NodeGpuStatus } from './engine-choice.js';

export interface GradientEngine extends BatchNormEngine {
  /** Reported in progress events and recorded in the card: 'onnxruntime-cpu', 'wasm', … */
  readonly backend: string;
  /** Threads (ONNX Runtime) or worker threads (tfjs) working on each step. */
  readonly size: number;
  step(
    input: Float32Array,
    target: Float32Array,
    inShape: BatchShape,
    outShape: BatchShape,
    lr: number,
  ): Promise<number>;
  predict(input: Float32Array, shape: BatchShape): Promise<Float32Array>;
  state(): Promise<TrainingState>;
  close(): Promise<void>;
}

export interface EngineChoice {
  runtime: TrainConfig['runtime'];
  /** ONNX Runtime execution provider for the training graph (cpu, webgpu, dml, cuda); absent = cpu. */
  provider?: string | undefined;
  /** 0: one per core. */
  workers: number;
  /** A tfjs backend forced by the caller (tests): implies the tfjs workers. */
  tfBackend?: TfBackendId;
  /** The training batch's input shape: ONNX Runtime's graph for it is built before the choice is final. */
  shape?: BatchShape;
  /** Called when 'auto' falls back (tfjs-node-gpu that does not load, a GPU provider that does not start, a network ONNX Runtime cannot train), with what runs instead and why. */
  onFallback?: (reason: string) => void;
  /** What is known about @tensorflow/tfjs-node-gpu (tests); default: whether it resolves. */
  nodeGpu?: NodeGpuStatus;
}

export async function startGradientEngine(
  spec: NetSpec,
  from: TrainingState | undefined,
  choice: EngineChoice,
): Promise<GradientEngine> {
  const threads = choice.workers === 0 ? os.availableParallelism() : choice.workers;
  const request = { runtime: choice.runtime, provider: choice.provider, tfBackend: choice.tfBackend };
  let decision = chooseTrainingEngine(request, choice.nodeGpu ?? nodeGpuInstalled());
  if (
    decision.engine === 'tfjs' &&
    decision.backend === 'tfjs-node-gpu' &&
    choice.runtime === 'auto' &&
    !choice.tfBackend
  ) {
    try {
      return await GradientPool.start(1, spec, from, 'tfjs-node-gpu');
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      decision = chooseTrainingEngine(request, { state: 'failed', reason });
      choice.onFallback?.(decision.reason);
    }
  }
  if (decision.engine === 'onnxruntime') {
    try {
      return await OrtTrainer.start(spec, from, threads, choice.shape, decision.provider);
    } catch (error) {
      if (choice.runtime === 'onnxruntime') throw error;
      const reason = error instanceof Error ? error.message : String(error);
      if (decision.provider !== 'cpu') {
        // A GPU provider chosen under auto that cannot train: the CPU provider, said so.
        choice.onFallback?.(
          `the ${decision.provider} provider could not train (${reason.split('\n')[0]}): ONNX Runtime's CPU provider`,
        );
        try {
          return await OrtTrainer.start(spec, from, threads, choice.shape, 'cpu');
        } catch (cpuError) {
          choice.onFallback?.(
            `ONNX Runtime could not train this network, using tfjs: ${cpuError instanceof Error ? cpuError.message : String(cpuError)}`,
          );
        }
      } else {
        choice.onFallback?.(`ONNX Runtime could not train this network, using tfjs: ${reason}`);
      }
    }
    return GradientPool.start(threads, spec, from);
  }
  return GradientPool.start(decision.workers ?? threads, spec, from, decision.backend);
}
