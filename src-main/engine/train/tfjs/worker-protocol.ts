// Messages between GradientPool (trainer thread) and grad-worker threads.
import type { TfBackendId } from '../../infer/tfjs-backend.js';
import type { AdamState } from '../adam.js';
import type { ChannelStatistics } from '../batchnorm-recalibration.js';
import type { BatchShape, NetSpec } from '../training-state.js';

export type WorkerRequest =
  | { id: number; type: 'init'; spec: NetSpec; backend?: TfBackendId; weights?: Float32Array[]; optimizer?: AdamState }
  | { id: number; type: 'grads'; input: Float32Array; target: Float32Array; inShape: BatchShape; outShape: BatchShape }
  | { id: number; type: 'apply'; grads: Float32Array[]; lr: number; batchNorm: ChannelStatistics[] }
  | { id: number; type: 'predict'; input: Float32Array; shape: BatchShape }
  | { id: number; type: 'state' }
  | { id: number; type: 'bn-statistics'; input: Float32Array; shape: BatchShape }
  | { id: number; type: 'set-bn-statistics'; stats: ChannelStatistics[] };

export type WorkerReplyBody =
  | { type: 'ready'; backend: TfBackendId; batchNormLayers: number }
  | { type: 'grads'; grads: Float32Array[]; loss: number; batchNorm: ChannelStatistics[] }
  | { type: 'prediction'; output: Float32Array }
  | { type: 'state'; weights: Float32Array[]; optimizer: AdamState }
  | { type: 'bn-statistics'; stats: ChannelStatistics[] };

export type WorkerReply =
  { id: number; body: WorkerReplyBody; error?: undefined } | { id: number; body?: undefined; error: string };
