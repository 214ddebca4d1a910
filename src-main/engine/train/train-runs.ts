// The training runs of this process, by run id: start one (only one at a time — training already
// uses every core), stop it (it checkpoints first), and report its latest progress. Progress is
// forwarded to a listener, e.g. the api's `train:progress` event. The latest run also keeps its
// recipe and its charts, so a Train view opened (or reloaded) later shows that run, not defaults.
import { randomUUID } from 'node:crypto';
import { EngineError } from '../engine-error.js';
import type { TrainConfig, TrainCurrentResponse, TrainProgress } from '../../../src-shared/schemas/train.js';
import { runTraining, type TrainResult } from './trainer.js';

interface Run {
  id: string;
  config: TrainConfig;
  controller: AbortController;
  latest: TrainProgress;
  finished: Promise<TrainResult | undefined>;
  loss: Array<[number, number]>;
  validations: Array<[number, number, number, number | null]>;
  preview: TrainProgress['preview'];
}

/** Charts keep at most this many loss points: every other one is dropped when it is reached. */
const MAX_LOSS_POINTS = 4000;

function record(run: Run, p: TrainProgress): void {
  if (p.loss !== undefined && (run.loss.at(-1)?.[0] ?? -1) < p.step) {
    run.loss.push([p.step, p.loss]);
    if (run.loss.length > MAX_LOSS_POINTS) run.loss = run.loss.filter((_, i) => i % 2 === 1);
  }
  if (p.preview) {
    run.preview = p.preview;
    if (p.valPsnr !== undefined && p.valSsim !== undefined) run.validations.push([p.step, p.valPsnr, p.valSsim, p.valNoisyPsnr ?? null]);
  }
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
    const totalSteps = config.epochs * config.stepsPerEpoch;
    const run: Run = {
      id,
      config,
      controller,
      latest: { runId: id, phase: 'loading', step: 0, totalSteps, epoch: 0 },
      finished: Promise.resolve(undefined),
      loss: [],
      validations: [],
      preview: undefined,
    };
    const report = (p: TrainProgress) => {
      run.latest = p;
      record(run, p);
      onProgress(p);
    };
    run.finished = this.train(config, { runId: id, signal: controller.signal, onProgress: report })
      .catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        // A crash keeps the best model exported so far; say so rather than only that it failed.
        const kept = run.latest.modelFolder ? ' The best model so far is kept and can be saved, or the run resumed.' : '';
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
    const run = this.last;
    if (!run) return null;
    const { command: _command, ...config } = run.config;
    return { config, progress: run.latest, loss: run.loss, validations: run.validations, preview: run.preview };
  }

  /** Asks the run to stop after a checkpoint and waits for it. */
  async stop(runId: string): Promise<TrainProgress> {
    const run = this.get(runId);
    run.controller.abort();
    await run.finished;
    return run.latest;
  }
}
