// A recipe's time from the engine's measurement (train:estimate), for any step count: steps at the
// measured pace, the validations the run will make (validation-schedule.ts) with their exports, and
// the run's end (the int8 version). And the reverse for the presets (the Train form's and
// `clearframe train --preset`'s): the steps that fit a time budget.
import type { TrainEstimateResponse } from './schemas/train.js';
import { validationCount } from './validation-schedule.js';

/** Steps per epoch of a preset's run: at most 200 (a shorter run is one epoch). */
const PRESET_EPOCH_STEPS = 200;

export interface RunLength {
  epochs: number;
  stepsPerEpoch: number;
}

/** Seconds a run of `length` takes at the measured pace. */
export function estimatedSeconds(measured: TrainEstimateResponse, length: RunLength): number {
  const validations = validationCount(length.epochs, length.stepsPerEpoch) * (measured.secondsPerValidation ?? 0);
  return length.epochs * length.stepsPerEpoch * measured.secondsPerStep + validations + (measured.finishSeconds ?? 0);
}

/** `steps` as equal epochs of at most PRESET_EPOCH_STEPS. */
function runOf(steps: number): RunLength {
  const epochs = Math.ceil(steps / PRESET_EPOCH_STEPS);
  return { epochs, stepsPerEpoch: Math.round(steps / epochs) };
}

/** The longest run (at least 20 steps) that fits `seconds` at the measured pace, validations and the run's end included. */
export function runForBudget(measured: TrainEstimateResponse, seconds: number): RunLength {
  const perStep = Math.max(measured.secondsPerStep, 1e-3);
  let steps = Math.max(20, Math.round(seconds / perStep));
  // The validations depend on the length they are costed for: a few rounds settle it.
  for (let round = 0; round < 3; round++) {
    const overhead = estimatedSeconds(measured, runOf(steps)) - steps * measured.secondsPerStep;
    steps = Math.max(20, Math.round((seconds - overhead) / perStep));
  }
  return runOf(steps);
}
