// Entry of a gradient worker thread: one TrainableNet on its own single-threaded tfjs backend,
// driven by messages from GradientPool. Messages are handled strictly in order (an 'apply' posted
// before a 'grads' is always applied first), each answered with the id it came with.
import { parentPort } from 'node:worker_threads';
import '@tensorflow/tfjs-layers'; // registers the gradient functions
import { initBackend, type TfBackendId } from '../../infer/tfjs-backend.js';
import './kernels/register-wasm.js';
import { TrainableNet } from './trainable-net.js';
import type { WorkerReply, WorkerRequest } from './worker-protocol.js';

if (!parentPort) throw new Error('grad-worker must run as a worker thread');
const port = parentPort;
let net: TrainableNet | undefined;
let backend: TfBackendId | undefined;

function requireNet(): TrainableNet {
  if (!net) throw new Error('gradient worker used before init');
  return net;
}

async function handle(msg: WorkerRequest): Promise<WorkerReply['body']> {
  switch (msg.type) {
    case 'init': {
      backend = await initBackend(msg.backend);
      net = new TrainableNet(msg.spec);
      if (msg.weights) net.setWeights(msg.weights);
      if (msg.optimizer) net.setOptimizerState(msg.optimizer);
      return { type: 'ready', backend, batchNormLayers: net.batchNormLayers };
    }
    case 'grads': {
      const { grads, loss, batchNorm } = requireNet().computeGradients(
        msg.input,
        msg.target,
        msg.inShape,
        msg.outShape,
      );
      return { type: 'grads', grads, loss, batchNorm };
    }
    case 'apply':
      requireNet().applyGradients(msg.grads, msg.lr, msg.batchNorm);
      return undefined;
    case 'predict':
      return { type: 'prediction', output: requireNet().predict(msg.input, msg.shape) };
    case 'bn-statistics':
      return { type: 'bn-statistics', stats: requireNet().batchNormStatistics(msg.input, msg.shape) };
    case 'set-bn-statistics':
      requireNet().setBatchNormStatistics(msg.stats);
      return undefined;
    case 'state':
      return { type: 'state', weights: requireNet().getWeights(), optimizer: requireNet().getOptimizerState() };
  }
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (msg: WorkerRequest) => {
  queue = queue.then(async () => {
    try {
      const body = await handle(msg);
      if (body) {
        const transfer = body.type === 'grads' ? body.grads.map((g) => g.buffer as ArrayBuffer) : [];
        port.postMessage({ id: msg.id, body } satisfies WorkerReply, transfer);
      }
    } catch (error) {
      port.postMessage({
        id: msg.id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies WorkerReply);
    }
  });
});
