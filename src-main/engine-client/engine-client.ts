// The main process's handle on the engine process: starts it on first use, forwards tasks, relays
// tile progress, and survives crashes — when the process dies unexpectedly every task in flight
// fails with `engine-crashed` and the next task starts a fresh engine.
import { ClearframeError } from '../../src-shared/contract-core.js';
import type { DenoisePreviewResponse } from '../../src-shared/schemas/denoise.js';
import type { DenoiseJob } from '../engine/denoise-job.js';
import { DenoiseFileOutcome, FromEngine, type EngineInit, type PreviewView, type ToEngine } from '../engine/process/protocol.js';
import { forkTransport, siblingEntry, type EngineTransport } from './transport.js';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: ClearframeError) => void;
  onTiles?: (done: number, total: number) => void;
}

export interface RunningTask<T> {
  result: Promise<T>;
  cancel(): void;
}

export type TransportFactory = () => EngineTransport;

/** The default: fork engine-main beside this module (.ts under tests/tsx, .js in dist). */
export const forkEngine: TransportFactory = () => forkTransport(siblingEntry(import.meta.url, '../engine/process/engine-main'));

export class EngineClient {
  private transport?: EngineTransport;
  private ready?: Promise<void>;
  private readonly pending = new Map<number, Pending>();
  private nextTaskId = 1;
  private closing = false;
  /** How many times the engine has been started (1 + restarts), for reports and tests. */
  starts = 0;

  constructor(private readonly init: EngineInit, private readonly makeTransport: TransportFactory = forkEngine) {}

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const transport = this.makeTransport();
    this.transport = transport;
    this.starts++;
    this.ready = new Promise<void>((resolve, reject) => {
      transport.onMessage((raw) => {
        const parsed = FromEngine.safeParse(raw);
        if (!parsed.success) return;
        const message = parsed.data;
        if (message.type === 'ready') return resolve();
        const pending = this.pending.get(message.taskId);
        if (!pending) return;
        if (message.type === 'tiles') return pending.onTiles?.(message.done, message.total);
        this.pending.delete(message.taskId);
        if (message.ok) pending.resolve(message.value);
        else pending.reject(new ClearframeError(message.error.code, message.error.message, message.error.subject));
      });
      transport.onExit((code, signal) => {
        if (this.transport !== transport) return;
        this.transport = undefined;
        this.ready = undefined;
        const why = this.closing ? 'The engine was shut down' : `The engine process stopped unexpectedly (${signal ?? `exit code ${code}`}); it will be restarted`;
        reject(new ClearframeError('engine-crashed', why));
        for (const [id, pending] of this.pending) {
          this.pending.delete(id);
          pending.reject(new ClearframeError('engine-crashed', why));
        }
      });
      transport.send({ type: 'init', init: this.init } satisfies ToEngine);
    });
    return this.ready;
  }

  private run<T>(build: (taskId: number) => ToEngine, parse: (value: unknown) => T, onTiles?: (done: number, total: number) => void): RunningTask<T> {
    const taskId = this.nextTaskId++;
    let cancelled = false;
    const result = (async () => {
      await this.start();
      if (cancelled) throw new ClearframeError('cancelled', 'Cancelled before it started');
      const value = await new Promise<unknown>((resolve, reject) => {
        this.pending.set(taskId, { resolve, reject, ...(onTiles ? { onTiles } : {}) });
        this.transport!.send(build(taskId));
      });
      return parse(value);
    })();
    return {
      result,
      cancel: () => {
        cancelled = true;
        if (this.pending.has(taskId)) this.transport?.send({ type: 'cancel', taskId } satisfies ToEngine);
      },
    };
  }

  denoiseFile(path: string, job: DenoiseJob, onTiles?: (done: number, total: number) => void): RunningTask<DenoiseFileOutcome> {
    return this.run((taskId) => ({ type: 'denoise-file', taskId, path, job }), (v) => DenoiseFileOutcome.parse(v), onTiles);
  }

  /** The `view` of a photo denoised as `job` says (the parts a preview uses: model, strength, level, quality, tiles, pixel limit). */
  preview(view: PreviewView, job: DenoiseJob): RunningTask<DenoisePreviewResponse> {
    return this.run((taskId) => ({ type: 'preview', taskId, view, job }), (v) => v as DenoisePreviewResponse);
  }

  /** Test hook: the engine exits abruptly, as a native crash would. */
  crashForTest(): void {
    this.transport?.send({ type: 'crash-for-test' } satisfies ToEngine);
  }

  async dispose(): Promise<void> {
    this.closing = true;
    this.transport?.kill();
    this.transport = undefined;
    this.ready = undefined;
  }
}
