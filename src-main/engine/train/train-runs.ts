// The training runs of this process, by run id: start one (only one at a time — training already
// uses every core), stop it (it checkpoints first), and report its latest progress. Progress is
// forwarded to a listener, e.g. the api's `train:progress` event. The latest run also keeps its
// recipe and its charts, so a Train view opened (or reloaded) later shows that run, not defaults.
import { randomUUID } from 'node:crypto';
import { EngineError } from '../contract/engine-error.js';
import type { TrainConfig, TrainCurrentResponse, TrainProgress } from '../../../src-shared/schemas/train.js';
import { currentOf, newRunRecord, recordProgress, type RunRecord } from '../contract/run-record.js';
import { runTraining, SHUTDOWN_REASON, type TrainResult } from './trainer.js';

interface Run extends RunRecord {
  id: string;
  controller: AbortController;
  finished: Promise<TrainResult | undefined>;
}

export class TrainRuns {
  private readonly runs = new Map<string, Run>();
  private current: Run | undefined;
  private last: Run | undefined;

  constructor(private readonly train: typeof runTraining = runTraining) {}

  get busy(): boolean {
    return this.current !== undefined;
  }

  start(config: TrainConfig, onProgress: (p: TrainProgress) => void): string {
    if (this.current) throw new EngineError('busy', `Training run ${this.current.id} is still running; stop it first`);
    const id = randomUUID();
    const controller = new AbortController();
    const run: Run = { ...newRunRecord(id, config), id, controller, finished: Promise.resolve(undefined) };
    const report = (p: TrainProgress) => {
      recordProgress(run, p);
      onProgress(p);
    };
    run.finished = this.train(config, { runId: id, signal: controller.signal, onProgress: report })
      .catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        // A crash keeps the best model exported so far; say so rather than only that it failed.
        const kept = run.latest.modelFolder
          ? ' The best model so far is kept and can be saved, or the run resumed.'
          : '';
        report({ ...run.latest, phase: 'failed', message: `${reason}${kept}` });
        return undefined;
      })
      .finally(() => {
        if (this.current === run) this.current = undefined;
      });
    this.runs.set(id, run);
    this.current = run;
    this.last = run;
    return id;
  }

  private get(runId: string): Run {
    const run = this.runs.get(runId);
    if (!run) throw new EngineError('not-found', `No training run ${runId}`, runId);
    return run;
  }

  status(runId: string): TrainProgress {
    return this.get(runId).latest;
  }

  /** The running run, else the last one: its recipe (without the recorded command), progress and charts. */
  currentRun(): TrainCurrentResponse {
    return this.last ? currentOf(this.last) : null;
  }

  /** Asks the run to stop after a checkpoint and waits for it (`reason`: SHUTDOWN_REASON when the engine is going). */
  async stop(runId: string, reason?: string): Promise<TrainProgress> {
    const run = this.get(runId);
    run.controller.abort(reason);
    await run.finished;
    return run.latest;
  }

  /** Stops the running run, if any (the engine is shutting down): it checkpoints as on Stop. */
  async stopCurrent(): Promise<void> {
    if (this.current) await this.stop(this.current.id, SHUTDOWN_REASON);
  }
}
