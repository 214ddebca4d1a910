// Messages between the engine's main thread and the worker thread that holds one ONNX Runtime
// session (ort-session-worker.ts). Plain structured-clone data; tensors travel as transferred buffers.

export interface OrtSessionSpec {
  /** The model file's path or its bytes. */
  model: string | Uint8Array;
  provider: string;
  intraOpNumThreads: number;
  /** The graph's input and output names. */
  input: string;
  output: string;
}

export type OrtSessionRequest =
  { id: number; type: 'open'; spec: OrtSessionSpec } | { id: number; type: 'run'; data: Float32Array; dims: number[] } | { id: number; type: 'release' };

export type OrtSessionReply = { id: number; ok: true; data?: Float32Array; dims?: number[] } | { id: number; ok: false; message: string };
