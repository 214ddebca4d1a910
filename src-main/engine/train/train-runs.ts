// The training runs of this process, by run id: start one (only one at a time — training already
// uses every core), stop it (it checkpoints first), and report its latest progress. Progress is
// forwarded to a listener, e.g. the api's `train:progress` event.
import { randomUUID } from 'node:crypto';
import { ClearframeError } from '../../../src-shared/contract-core.js';
import type { TrainConfig, TrainProgress } from '../../../src-shared/schemas/train.js';
import { runTraining, type TrainResult } from './trainer.js';

interface Run {
  id: string;
  controller: AbortController;
  latest: TrainProgress;
  finished: Promise<TrainResult | undefined>;
}

export class TrainRuns {
  private readonly runs = new Map<string, Run>();
  private current: Run | undefined;

  constructor(private readonly train: typeof runTraining = runTraining) {}

  start(config: TrainConfig, onProgress: (p: TrainProgress) => void): string {
    if (this.current) throw new ClearframeError('busy', `Training run ${this.current.id} is still running; stop it first`);
    const id = randomUUID();
    const controller = new AbortController();
    const totalSteps = config.epochs * config.stepsPerEpoch;
    const run: Run = { id, controller, latest: { runId: id, phase: 'loading', step: 0, totalSteps, epoch: 0 }, finished: Promise.resolve(undefined) };
    const report = (p: TrainProgress) => {
      run.latest = p;
      onProgress(p);
    };
    run.finished = this.train(config, { runId: id, signal: controller.signal, onProgress: report })
      .catch((error: unknown) => {
        report({ ...run.latest, phase: 'failed', message: error instanceof Error ? error.message : String(error) });
        return undefined;
      })
      .finally(() => {
        if (this.current === run) this.current = undefined;
      });
    this.runs.set(id, run);
    this.current = run;
    return id;
  }

  private get(runId: string): Run {
    const run = this.runs.get(runId);
    if (!run) throw new ClearframeError('not-found', `No training run ${runId}`, runId);
    return run;
  }

  status(runId: string): TrainProgress {
    return this.get(runId).latest;
  }

  /** Asks the run to stop after a checkpoint and waits for it. */
  async stop(runId: string): Promise<TrainProgress> {
    const run = this.get(runId);
    run.controller.abort();
    await run.finished;
    return run.latest;
  }
}
