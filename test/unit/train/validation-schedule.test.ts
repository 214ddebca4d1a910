// When a run validates: at step 0, every 25 steps up to step 200, and at each epoch's end; and how
// many validations that makes (the estimate costs each one).
import { describe, expect, it } from 'vitest';
import { validatesEarlyAfter, validationCount } from '../../../src-shared/validation-schedule.js';

/** The steps a run validates at, walked as the trainer walks them. */
function validatedSteps(epochs: number, stepsPerEpoch: number): number[] {
  const steps = [0];
  for (let step = 1; step <= epochs * stepsPerEpoch; step++) {
    const epochStep = step - Math.floor((step - 1) / stepsPerEpoch) * stepsPerEpoch;
    if (epochStep === stepsPerEpoch || validatesEarlyAfter(step, epochStep, stepsPerEpoch)) steps.push(step);
  }
  return steps;
}

describe('the validation schedule', () => {
  it('validates at the start, every 25 steps up to 200 and at every epoch end, never twice at one step', () => {
    expect(validatedSteps(2, 200)).toEqual([0, 25, 50, 75, 100, 125, 150, 175, 200, 400]);
    expect(validatedSteps(2, 15)).toEqual([0, 15, 25, 30]);
    expect(validatedSteps(3, 100)).toEqual([0, 25, 50, 75, 100, 125, 150, 175, 200, 300]);
  });

  it('counts what it validates', () => {
    for (const [epochs, steps] of [
      [2, 200],
      [2, 15],
      [3, 100],
      [1, 7],
      [10, 400],
    ] as const) {
      expect(validationCount(epochs, steps)).toBe(validatedSteps(epochs, steps).length);
    }
  });
});
