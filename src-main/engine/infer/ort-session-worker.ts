// A worker thread holding one ONNX Runtime session. onnxruntime-node runs a session synchronously
// on the calling thread (its async run() only defers the call), so a session on the engine's main
// thread blocks it for a whole tile: a Cancel, a thumbnail or a folder scan waited behind the
// network (seconds per tile on a busy machine). Here the run blocks only this thread.
import { parentPort } from 'node:worker_threads';
import type { OrtSessionReply, OrtSessionRequest, OrtSessionSpec, ThreadTensor } from './ort-session-protocol.js';

type Ort = typeof import('onnxruntime-node');
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

let ort: Ort | undefined;
let session: Session | undefined;

async function open(spec: OrtSessionSpec): Promise<void> {
  ort ??= await import('onnxruntime-node');
  // logSeverityLevel 3: a provider that cannot start is reported by the caller, once, not by ORT's log.
  const options = {
    executionProviders: [spec.provider],
    intraOpNumThreads: spec.intraOpNumThreads,
    graphOptimizationLevel: spec.graphOptimizationLevel ?? 'all',
    logSeverityLevel: 3 as const,
  };
  session =
    typeof spec.model === 'string'
      ? await ort.InferenceSession.create(spec.model, options)
      : await ort.InferenceSession.create(spec.model, options);
}

async function run(
  feeds: Record<string, ThreadTensor>,
  fetches: string[] | undefined,
): Promise<Record<string, ThreadTensor>> {
  if (!ort || !session) throw new Error('The session is not open');
  const inputs = Object.fromEntries(
    Object.entries(feeds).map(([name, t]) => [name, new ort!.Tensor('float32', t.data, t.dims)]),
  );
  const result = fetches ? await session.run(inputs, fetches) : await session.run(inputs);
  const outputs: Record<string, ThreadTensor> = {};
  for (const [name, tensor] of Object.entries(result)) {
    // A copy this thread owns, so its buffer can be transferred (ORT's may not be detachable).
    outputs[name] = { data: new Float32Array(tensor.data as Float32Array), dims: [...tensor.dims] };
    tensor.dispose();
  }
  for (const tensor of Object.values(inputs)) tensor.dispose();
  return outputs;
}

const port = parentPort!;
port.on('message', (request: OrtSessionRequest) => {
  const reply = (body: OrtSessionReply, transfer: ArrayBuffer[] = []): void => port.postMessage(body, transfer);
  const fail = (error: unknown): void =>
    reply({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) });
  switch (request.type) {
    case 'open':
      open(request.spec).then(() => reply({ id: request.id, ok: true }), fail);
      return;
    case 'run':
      run(request.feeds, request.fetches).then(
        (outputs) =>
          reply(
            { id: request.id, ok: true, outputs },
            Object.values(outputs).map((t) => t.data.buffer as ArrayBuffer),
          ),
        fail,
      );
      return;
    case 'release':
      (session ? session.release() : Promise.resolve()).then(() => {
        session = undefined;
        reply({ id: request.id, ok: true });
      }, fail);
      return;
  }
});
