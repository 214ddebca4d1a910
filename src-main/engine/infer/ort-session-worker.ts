// A worker thread holding one ONNX Runtime session. onnxruntime-node runs a session synchronously
// on the calling thread (its async run() only defers the call), so a session on the engine's main
// thread blocks it for a whole tile: a Cancel, a thumbnail or a folder scan waited behind the
// network (seconds per tile on a busy machine). Here the run blocks only this thread.
import { parentPort } from 'node:worker_threads';
import type { OrtSessionReply, OrtSessionRequest, OrtSessionSpec } from './ort-session-protocol.js';

type Ort = typeof import('onnxruntime-node');
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

let ort: Ort | undefined;
let session: Session | undefined;
let spec: OrtSessionSpec | undefined;

async function open(given: OrtSessionSpec): Promise<void> {
  ort ??= await import('onnxruntime-node');
  // logSeverityLevel 3: a provider that cannot start is reported by the caller, once, not by ORT's log.
  const options = { executionProviders: [given.provider], intraOpNumThreads: given.intraOpNumThreads, graphOptimizationLevel: 'all' as const, logSeverityLevel: 3 as const };
  session = typeof given.model === 'string' ? await ort.InferenceSession.create(given.model, options) : await ort.InferenceSession.create(given.model, options);
  spec = given;
}

async function run(data: Float32Array, dims: number[]): Promise<{ data: Float32Array; dims: number[] }> {
  if (!ort || !session || !spec) throw new Error('The session is not open');
  const feed = new ort.Tensor('float32', data, dims);
  const result = await session.run({ [spec.input]: feed });
  const out = result[spec.output]!;
  // A copy this thread owns, so its buffer can be transferred (ORT's may not be detachable).
  const copy = new Float32Array(out.data as Float32Array);
  feed.dispose();
  out.dispose();
  return { data: copy, dims: [...out.dims] };
}

const port = parentPort!;
port.on('message', (request: OrtSessionRequest) => {
  const reply = (body: OrtSessionReply, transfer: ArrayBuffer[] = []): void => port.postMessage(body, transfer);
  const fail = (error: unknown): void => reply({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) });
  switch (request.type) {
    case 'open':
      open(request.spec).then(() => reply({ id: request.id, ok: true }), fail);
      return;
    case 'run':
      run(request.data, request.dims).then((out) => reply({ id: request.id, ok: true, data: out.data, dims: out.dims }, [out.data.buffer as ArrayBuffer]), fail);
      return;
    case 'release':
      (session ? session.release() : Promise.resolve()).then(() => {
        session = undefined;
        reply({ id: request.id, ok: true });
      }, fail);
      return;
  }
});
