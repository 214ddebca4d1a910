// Which engine computes a training run's gradients, as a pure decision over what the caller asked
// for and what is installed, so that it can be tested without the hardware. `--runtime auto` takes
// the fastest engine present: @tensorflow/tfjs-node-gpu (CUDA through libtensorflow) when it is
// installed and loads — with one worker, as its native addon is reported to fail when loaded in a
// second worker thread — else ONNX Runtime's training graph on the chosen execution provider (CPU
// unless one is named). Whether tfjs-node-gpu loads is learned by starting its one worker; when it
// does not, the decision is asked again with the failure, and says why ONNX Runtime runs instead.
import { createRequire } from 'node:module';
import type { TfBackendId } from '../infer/tfjs-backend.js';

/** What is known about @tensorflow/tfjs-node-gpu here. */
export type NodeGpuStatus = { state: 'missing' } | { state: 'installed' } | { state: 'failed'; reason: string };

export type TrainingEngineDecision =
  | { engine: 'onnxruntime'; provider: string; reason: string }
  /** `backend` absent: the tfjs ladder's best; `workers` 1 where the native addon must stay in one thread. */
  | { engine: 'tfjs'; backend?: TfBackendId; workers?: 1; reason: string };

export interface TrainingEngineRequest {
  runtime: 'auto' | 'onnxruntime' | 'tfjs';
  /** ONNX Runtime execution provider asked for (cpu, webgpu, dml, cuda); absent = cpu. */
  provider?: string | undefined;
  /** A tfjs backend forced by the caller (tests, benchmarks). */
  tfBackend?: TfBackendId | undefined;
}

const NODE_GPU = '@tensorflow/tfjs-node-gpu';

export function chooseTrainingEngine(request: TrainingEngineRequest, nodeGpu: NodeGpuStatus): TrainingEngineDecision {
  const provider = request.provider ?? 'cpu';
  if (request.tfBackend) {
    return {
      engine: 'tfjs',
      backend: request.tfBackend,
      ...(request.tfBackend === 'tfjs-node-gpu' ? { workers: 1 as const } : {}),
      reason: `tfjs backend ${request.tfBackend} asked for`,
    };
  }
  if (request.runtime === 'tfjs') {
    return nodeGpu.state === 'installed'
      ? {
          engine: 'tfjs',
          backend: 'tfjs-node-gpu',
          workers: 1,
          reason: `--runtime tfjs with ${NODE_GPU} installed (one worker: its native addon stays in one thread)`,
        }
      : { engine: 'tfjs', reason: '--runtime tfjs' };
  }
  if (request.runtime === 'onnxruntime')
    return { engine: 'onnxruntime', provider, reason: `--runtime onnxruntime on the ${provider} provider` };
  // auto
  if (provider !== 'cpu') return { engine: 'onnxruntime', provider, reason: `the ${provider} provider was chosen` };
  switch (nodeGpu.state) {
    case 'installed':
      return {
        engine: 'tfjs',
        backend: 'tfjs-node-gpu',
        workers: 1,
        reason: `${NODE_GPU} is installed: CUDA outruns ONNX Runtime's CPU provider (one worker: its native addon stays in one thread)`,
      };
    case 'failed':
      return {
        engine: 'onnxruntime',
        provider: 'cpu',
        reason: `${NODE_GPU} is installed but did not load (${nodeGpu.reason}): ONNX Runtime's CPU provider`,
      };
    case 'missing':
      return {
        engine: 'onnxruntime',
        provider: 'cpu',
        reason: `ONNX Runtime's CPU provider (${NODE_GPU} is not installed)`,
      };
  }
}

/** Whether @tensorflow/tfjs-node-gpu can be resolved from here (loading it is left to its worker). */
export function nodeGpuInstalled(
  resolve: (id: string) => string = createRequire(import.meta.url).resolve,
): NodeGpuStatus {
  try {
    resolve(NODE_GPU);
    return { state: 'installed' };
  } catch {
    return { state: 'missing' };
  }
}
