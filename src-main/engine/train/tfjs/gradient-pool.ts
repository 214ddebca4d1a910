// Data-parallel training over worker threads: each worker holds an identical copy of the network,
// computes gradients and BatchNorm batch statistics on its share of the batch; the shares' gradients
// are averaged here, their statistics pooled into the whole batch's, and every worker applies the
// same Adam update and the same moving-statistics update, so the copies stay bit-identical without
// shipping weights (BatchNorm included: each worker's moving statistics follow the whole batch,
// as one worker's would). (tfjs-wasm is single-threaded under Node; two workers ran 1.92× faster
// than one on 2 cores.)
import type { Worker } from 'node:worker_threads';
import { Correlator } from '../../../../src-shared/correlator.js';
import { EngineError } from '../../contract/engine-error.js';
import { startWorker } from '../../util/start-worker.js';
import type { TfBackendId } from '../../infer/tfjs-backend.js';
import { poolStatistics, type ChannelStatistics } from '../batchnorm-recalibration.js';
import type { BatchShape, NetSpec, TrainingState } from '../training-state.js';
import type { WorkerReply, WorkerReplyBody, WorkerRequest } from './worker-protocol.js';
import type { DistributiveOmit } from '../../util/distributive-omit.js';

type Request = DistributiveOmit<WorkerRequest, 'id'>;

class WorkerClient {
  private readonly calls = new Correlator<WorkerReplyBody>();

  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => {
      if (reply.error !== undefined)
        this.calls.reject(reply.id, new EngineError('internal', `Gradient worker failed: ${reply.error}`));
      else this.calls.resolve(reply.id, reply.body);
    });
    worker.on('error', (e) => this.calls.close(new EngineError('internal', `Gradient worker crashed: ${e.message}`)));
    worker.on('exit', (code) => this.calls.close(new EngineError('internal', `Gradient worker exited (code ${code})`)));
  }

  /** Posts without waiting (ordering is kept by the worker; its reply is dropped). */
  post(request: Request, transfer: ArrayBuffer[] = []): void {
    if (this.calls.closed) throw this.calls.closed;
    this.worker.postMessage({ ...request, id: this.calls.newId() }, transfer);
  }

  call(request: Request, transfer: ArrayBuffer[] = []): Promise<WorkerReplyBody> {
    return this.calls.call((id) => this.worker.postMessage({ ...request, id }, transfer));
  }

  async terminate(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

function replyOf<T extends WorkerReplyBody['type']>(
  body: WorkerReplyBody,
  type: T,
): Extract<WorkerReplyBody, { type: T }> {
  if (body.type !== type) throw new EngineError('internal', `Gradient worker answered ${body.type}, expected ${type}`);
  return body as Extract<WorkerReplyBody, { type: T }>;
}

export class GradientPool {
  private constructor(
    private readonly clients: WorkerClient[],
    readonly backend: TfBackendId,
    readonly batchNormLayers: number,
  ) {}

  /** Starts `size` workers holding identical networks: worker 0 initialises, the others copy it. */
  static async start(size: number, spec: NetSpec, from?: TrainingState, backend?: TfBackendId): Promise<GradientPool> {
    const clients = Array.from(
      { length: Math.max(1, size) },
      () => new WorkerClient(startWorker(new URL('./grad-worker.js', import.meta.url), import.meta.url)),
    );
    try {
      const base = { type: 'init' as const, spec, ...(backend ? { backend } : {}) };
      const first = replyOf(await clients[0]!.call({ ...base, ...(from ?? {}) }), 'ready');
      if (clients.length > 1) {
        const state = from ?? (replyOf(await clients[0]!.call({ type: 'state' }), 'state') as TrainingState);
        await Promise.all(
          clients.slice(1).map((c) => c.call({ ...base, weights: state.weights, optimizer: state.optimizer })),
        );
      }
      return new GradientPool(clients, first.backend, first.batchNormLayers);
    } catch (error) {
      await Promise.all(clients.map((c) => c.terminate()));
      throw error;
    }
  }

  get size(): number {
    return this.clients.length;
  }

  /**
   * One optimisation step: splits the batch (axis 0) across the workers, averages their gradients
   * and pools their BatchNorm statistics weighted by share size, and has every worker apply both.
   * Answers the batch's mean loss.
   */
  async step(
    input: Float32Array,
    target: Float32Array,
    inShape: BatchShape,
    outShape: BatchShape,
    lr: number,
  ): Promise<number> {
    const batch = inShape[0];
    const parts = Math.min(this.clients.length, batch);
    const inPer = inShape[1] * inShape[2] * inShape[3];
    const outPer = outShape[1] * outShape[2] * outShape[3];
    const replies = await Promise.all(
      Array.from({ length: parts }, (_, p) => {
        const from = Math.floor((p * batch) / parts);
        const to = Math.floor(((p + 1) * batch) / parts);
        const n = to - from;
        return this.clients[p]!.call({
          type: 'grads',
          input: input.slice(from * inPer, to * inPer),
          target: target.slice(from * outPer, to * outPer),
          inShape: [n, inShape[1], inShape[2], inShape[3]],
          outShape: [n, outShape[1], outShape[2], outShape[3]],
        }).then((body) => ({ n, body: replyOf(body, 'grads') }));
      }),
    );
    const average = replies[0]!.body.grads.map((g) => new Float32Array(g.length));
    let loss = 0;
    for (const { n, body } of replies) {
      const w = n / batch;
      loss += body.loss * w;
      body.grads.forEach((g, i) => {
        const acc = average[i]!;
        for (let k = 0; k < g.length; k++) acc[k]! += g[k]! * w;
      });
    }
    const batchNorm = poolStatistics(
      replies.map((r) => r.body.batchNorm),
      replies.map((r) => r.n),
    );
    for (const client of this.clients) client.post({ type: 'apply', grads: average, lr, batchNorm });
    return loss;
  }

  async predict(input: Float32Array, shape: BatchShape): Promise<Float32Array> {
    return replyOf(await this.clients[0]!.call({ type: 'predict', input, shape }), 'prediction').output;
  }

  async batchNormStatistics(input: Float32Array, shape: BatchShape): Promise<ChannelStatistics[]> {
    return replyOf(await this.clients[0]!.call({ type: 'bn-statistics', input, shape }), 'bn-statistics').stats;
  }

  /** Every worker takes the same statistics (posted in order, like Adam updates). */
  async setBatchNormStatistics(stats: ChannelStatistics[]): Promise<void> {
    for (const client of this.clients) client.post({ type: 'set-bn-statistics', stats });
  }

  async state(): Promise<TrainingState> {
    const body = replyOf(await this.clients[0]!.call({ type: 'state' }), 'state');
    return { weights: body.weights, optimizer: body.optimizer };
  }

  /** Every worker's state, in worker order: they must all be equal (a test checks they are). */
  async workerStates(): Promise<TrainingState[]> {
    const bodies = await Promise.all(this.clients.map((c) => c.call({ type: 'state' })));
    return bodies.map((body) => {
      const { weights, optimizer } = replyOf(body, 'state');
      return { weights, optimizer };
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.terminate()));
  }
}
