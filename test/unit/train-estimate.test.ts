// The Train form's estimate for any length of run, and the length that fits a preset's time budget.
import { describe, expect, it } from 'vitest';
import { estimatedSeconds, runForBudget } from '../../src-shared/train-estimate.js';
import type { TrainEstimateResponse } from '../../src-shared/schemas/train.js';

const measured: TrainEstimateResponse = {
  secondsPerStep: 2,
  totalSeconds: 0,
  secondsPerValidation: 5,
  finishSeconds: 30,
  backend: 'onnxruntime-cpu',
};

describe('the Train form estimate', () => {
  it('costs steps, every validation the run makes, and the run’s end', () => {
    // 2 × 200 steps validate 10 times (start, 25…200, 400).
    expect(estimatedSeconds(measured, { epochs: 2, stepsPerEpoch: 200 })).toBe(400 * 2 + 10 * 5 + 30);
    // An older engine's answer without the parts: steps only.
    expect(
      estimatedSeconds({ secondsPerStep: 2, totalSeconds: 0, backend: 'x' }, { epochs: 1, stepsPerEpoch: 10 }),
    ).toBe(20);
  });

  it('fits a preset’s budget with the validations and the end included', () => {
    const run = runForBudget(measured, 10 * 60);
    const seconds = estimatedSeconds(measured, run);
    expect(seconds).toBeLessThanOrEqual(10 * 60 + 2 * 200);
    expect(seconds).toBeGreaterThan(10 * 60 - 2 * 200);
    expect(run.stepsPerEpoch).toBeLessThanOrEqual(200);
    // Without the overheads the budget would buy 300 steps; with them, fewer.
    expect(run.epochs * run.stepsPerEpoch).toBeLessThan(300);
    expect(runForBudget(measured, 1)).toEqual({ epochs: 1, stepsPerEpoch: 20 });
  });
});
