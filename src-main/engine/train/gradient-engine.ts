// What the training loop steps: ONNX Runtime's training graph (ort/ort-trainer.ts) where it loads
// and the architecture has gradient rules there, otherwise the tfjs gradient workers
// (tfjs/gradient-pool.ts, the fallback; README "Speed" says when it is used). Both keep one
// TrainingState with the same Adam, so a run checkpointed by one resumes on the other.
import os from 'node:os';
import type { TrainConfig } from '../../../src-shared/schemas/train.js';
import type { TfBackendId } from '../backend.js';
import type { BatchNormEngine } from './batchnorm-recalibration.js';
import { GradientPool } from './tfjs/gradient-pool.js';
import { OrtTrainer } from './ort/ort-trainer.js';
import type { BatchShape, NetSpec, TrainingState } from './training-state.js';

export interface GradientEngine extends BatchNormEngine {
  /** Reported in progress events and recorded in the card: 'onnxruntime-cpu', 'wasm', … */
  readonly backend: string;
  /** Threads (ONNX Runtime) or worker threads (tfjs) working on each step. */
  readonly size: number;
  step(input: Float32Array, target: Float32Array, inShape: BatchShape, outShape: BatchShape, lr: number): Promise<number>;
  predict(input: Float32Array, shape: BatchShape): Promise<Float32Array>;
  state(): Promise<TrainingState>;
  close(): Promise<void>;
}

export interface EngineChoice {
  runtime: TrainConfig['runtime'];
  /** 0: one per core. */
  workers: number;
  /** A tfjs backend forced by the caller (tests): implies the tfjs workers. */
  tfBackend?: TfBackendId;
  /** The training batch's input shape: ONNX Runtime's graph for it is built before the choice is final. */
  shape?: BatchShape;
  /** Called when 'auto' falls back from ONNX Runtime to tfjs, with the reason. */
  onFallback?: (reason: string) => void;
}

export async function startGradientEngine(spec: NetSpec, from: TrainingState | undefined, choice: EngineChoice): Promise<GradientEngine> {
  const threads = choice.workers === 0 ? os.availableParallelism() : choice.workers;
  const wantOrt = choice.tfBackend === undefined && choice.runtime !== 'tfjs';
  if (wantOrt) {
    try {
      return await OrtTrainer.start(spec, from, threads, choice.shape);
    } catch (error) {
      if (choice.runtime === 'onnxruntime') throw error;
      choice.onFallback?.(error instanceof Error ? error.message : String(error));
    }
  }
  return GradientPool.start(threads, spec, from, choice.tfBackend);
}
