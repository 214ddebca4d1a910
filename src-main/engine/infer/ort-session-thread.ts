// One ONNX Runtime session in its own worker thread (ort-session-worker.ts), so that running the
// network never blocks the engine's main thread: messages (a Cancel above all) are handled while a
// tile runs, and a run whose signal is aborted is given up at once — its tile finishes in the
// worker and the answer is dropped. The thread keeps the process alive only while a call is pending.
import type { Worker } from 'node:worker_threads';
import { Correlator } from '../../../src-shared/correlator.js';
import { EngineError } from '../contract/engine-error.js';
import { startWorker } from '../util/start-worker.js';
import type { OrtSessionReply, OrtSessionRequest, OrtSessionSpec, ThreadTensor } from './ort-session-protocol.js';
import type { DistributiveOmit } from '../util/distributive-omit.js';

type Answer = Extract<OrtSessionReply, { ok: true }>;

export type { ThreadTensor } from './ort-session-protocol.js';

export class OrtSessionThread {
  private readonly calls = new Correlator<Answer>();

  private constructor(private readonly worker: Worker) {
    worker.unref();
    worker.on('message', (reply: OrtSessionReply) => {
      // An aborted run's answer finds no call waiting and is dropped.
      if (reply.ok) this.calls.resolve(reply.id, reply);
      else this.calls.reject(reply.id, new Error(reply.message));
    });
    worker.on('error', (error) => this.fail(new Error(`ONNX Runtime's thread failed: ${error.message}`)));
    worker.on('exit', (code) => this.fail(new Error(`ONNX Runtime's thread stopped (exit code ${code})`)));
  }

  /** Starts a thread and opens the session there; rejects with ONNX Runtime's own message when it cannot. */
  static async open(spec: OrtSessionSpec): Promise<OrtSessionThread> {
    const thread = new OrtSessionThread(
      startWorker(new URL('./ort-session-worker.js', import.meta.url), import.meta.url),
    );
    try {
      await thread.call({ type: 'open', spec });
    } catch (error) {
      await thread.worker.terminate();
      throw error;
    }
    return thread;
  }

  /**
   * Runs the session on copies of `feeds` and answers `fetches` (absent: every output). An abort
   * of `signal` rejects at once with `cancelled`; the run itself cannot be stopped mid-way and
   * finishes in the thread unseen.
   */
  async run(
    feeds: Record<string, ThreadTensor>,
    fetches?: string[],
    signal?: AbortSignal,
  ): Promise<Record<string, ThreadTensor>> {
    const copies: Record<string, ThreadTensor> = {};
    for (const [name, t] of Object.entries(feeds)) copies[name] = { data: t.data.slice(), dims: t.dims };
    const transfer = Object.values(copies).map((t) => t.data.buffer as ArrayBuffer);
    const reply = await this.call({ type: 'run', feeds: copies, ...(fetches ? { fetches } : {}) }, transfer, signal);
    return reply.outputs ?? {};
  }

  /** Releases the session and stops the thread; a run still pending is rejected. */
  async release(): Promise<void> {
    if (!this.calls.closed) await this.call({ type: 'release' }).catch(() => undefined);
    this.fail(new Error('The session was released'));
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  /** Every pending call and every later one fails with `error`. */
  private fail(error: Error): void {
    this.calls.close(error);
    this.worker.unref();
  }

  private call(
    request: DistributiveOmit<OrtSessionRequest, 'id'>,
    transfer: ArrayBuffer[] = [],
    signal?: AbortSignal,
  ): Promise<Answer> {
    const answer = this.calls.call(
      (id) => {
        if (this.calls.size === 1) this.worker.ref();
        this.worker.postMessage({ ...request, id }, transfer);
      },
      signal ? { giveUp: { signal, error: cancelled } } : {},
    );
    // With nothing left pending, the thread no longer holds the process open.
    return answer.finally(() => {
      if (this.calls.size === 0) this.worker.unref();
    });
  }
}

function cancelled(): EngineError {
  return new EngineError('cancelled', 'Denoising was cancelled');
}
