// What a training run keeps for the Train view: its recipe, its latest progress and its charts
// (loss per step, validations, the latest preview crops), built from the progress reports alone.
// Pure, so the engine's TrainRuns and the main process's mirror of a run (which answers for a run
// whose engine process died) record it the same way.
import type { TrainConfig, TrainCurrentResponse, TrainProgress } from '../../../src-shared/schemas/train.js';

export interface RunRecord {
  config: TrainConfig;
  latest: TrainProgress;
  loss: Array<[number, number]>;
  validations: Array<[number, number, number, number | null]>;
  preview: TrainProgress['preview'];
}

/** Charts keep at most this many loss points: every other one is dropped when it is reached. */
const MAX_LOSS_POINTS = 4000;

/** A run that has not reported yet: loading, at step 0. */
export function newRunRecord(runId: string, config: TrainConfig): RunRecord {
  const totalSteps = config.epochs * config.stepsPerEpoch;
  return {
    config,
    latest: { runId, phase: 'loading', step: 0, totalSteps, epoch: 0 },
    loss: [],
    validations: [],
    preview: undefined,
  };
}

export function recordProgress(run: RunRecord, p: TrainProgress): void {
  run.latest = p;
  if (p.loss !== undefined && (run.loss.at(-1)?.[0] ?? -1) < p.step) {
    run.loss.push([p.step, p.loss]);
    if (run.loss.length > MAX_LOSS_POINTS) run.loss = run.loss.filter((_, i) => i % 2 === 1);
  }
  if (p.preview) {
    run.preview = p.preview;
    if (p.valPsnr !== undefined && p.valSsim !== undefined)
      run.validations.push([p.step, p.valPsnr, p.valSsim, p.valNoisyPsnr ?? null]);
  }
}

/** train:current's answer for a run: its recipe (without the recorded command), progress and charts. */
export function currentOf(run: RunRecord): NonNullable<TrainCurrentResponse> {
  const { command: _command, ...config } = run.config;
  return { config, progress: run.latest, loss: run.loss, validations: run.validations, preview: run.preview };
}

/** A run ends in one of these phases; no progress follows. */
export function isFinalPhase(phase: TrainProgress['phase']): boolean {
  return phase === 'done' || phase === 'stopped' || phase === 'failed';
}
