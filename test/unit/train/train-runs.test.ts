// TrainRuns bookkeeping, with the trainer replaced by a stand-in that reports and honours stop.
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src-main/engine/contract/engine-error.js';
import { TrainConfig, type TrainProgress } from '../../../src-shared/schemas/train.js';
import { TrainRuns } from '../../../src-main/engine/train/train-runs.js';
import { SHUTDOWN_REASON, type runTraining } from '../../../src-main/engine/train/trainer.js';

const config = TrainConfig.parse({ data: '/data', out: '/out', epochs: 1, stepsPerEpoch: 1000 });

/** Steps until aborted, reporting each step; answers 'stopped' like the real trainer. */
const fakeTrainer: typeof runTraining = async (cfg, { runId, onProgress, signal }) => {
  let step = 0;
  while (!signal?.aborted) {
    step += 1;
    onProgress?.({
      runId,
      phase: 'training',
      step,
      totalSteps: cfg.epochs * cfg.stepsPerEpoch,
      epoch: 0,
      loss: 1 / step,
    });
    await new Promise((r) => setTimeout(r, 2));
  }
  onProgress?.({ runId, phase: 'stopped', step, totalSteps: cfg.epochs * cfg.stepsPerEpoch, epoch: 0 });
  return { phase: 'stopped', step, epoch: 0, skipped: [] };
};

describe('TrainRuns', () => {
  it('runs one at a time, reports progress, stops on request and frees the slot', async () => {
    const runs = new TrainRuns(fakeTrainer);
    const seen: TrainProgress[] = [];
    const id = runs.start(config, (p) => seen.push(p));
    expect(() => runs.start(config, () => {})).toThrow(EngineError);
    await new Promise((r) => setTimeout(r, 30));
    expect(runs.status(id).phase).toBe('training');
    const final = await runs.stop(id);
    expect(final.phase).toBe('stopped');
    expect(seen.at(-1)).toEqual(final);
    expect(runs.start(config, () => {})).not.toBe(id);
    expect(() => runs.status('nope')).toThrow(/No training run/);
  });

  it('stops for a shutdown with its own reason (the trainer then skips the int8 version), a Stop without it', async () => {
    const reasons: unknown[] = [];
    const runs = new TrainRuns(async (cfg, callbacks) => {
      const result = await fakeTrainer(cfg, callbacks);
      reasons.push(callbacks.signal?.reason);
      return result;
    });
    await runs.stop(runs.start(config, () => {}));
    runs.start(config, () => {});
    await runs.stopCurrent();
    expect(reasons[0]).not.toBe(SHUTDOWN_REASON);
    expect(reasons[1]).toBe(SHUTDOWN_REASON);
  });

  it('reports a failing run as failed with its message', async () => {
    const runs = new TrainRuns(async () => {
      throw new EngineError('invalid-request', 'The dataset has 0 usable images');
    });
    const id = runs.start(config, () => {});
    const final = await runs.stop(id);
    expect(final).toMatchObject({ phase: 'failed', message: 'The dataset has 0 usable images' });
  });
});
