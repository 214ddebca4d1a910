// Messages between the engine's main thread and the worker thread that holds one ONNX Runtime
// session (ort-session-worker.ts). Plain structured-clone data; tensors travel as transferred buffers.

export interface OrtSessionSpec {
  /** The model file's path or its bytes. */
  model: string | Uint8Array;
  provider: string;
  intraOpNumThreads: number;
  /** ONNX Runtime's graph optimisation level; 'all' unless the graph runs better with less. */
  graphOptimizationLevel?: 'basic' | 'extended' | 'all';
}

/** A float32 tensor: its values and its dimensions. */
export interface ThreadTensor {
  data: Float32Array;
  dims: number[];
}

export type OrtSessionRequest =
  | { id: number; type: 'open'; spec: OrtSessionSpec }
  /** `fetches` absent: every output of the graph. */
  | { id: number; type: 'run'; feeds: Record<string, ThreadTensor>; fetches?: string[] }
  | { id: number; type: 'release' };

export type OrtSessionReply =
  { id: number; ok: true; outputs?: Record<string, ThreadTensor> } | { id: number; ok: false; message: string };
