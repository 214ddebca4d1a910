// When a training run measures itself on its validation crops. At every epoch's end, as always; and besides
// that at step 0 (the starting point's score is the first point of the chart and the bar every later
// model must clear) and every EARLY_VALIDATION_EVERY steps up to EARLY_VALIDATION_UNTIL, where a
// run changes fastest: a Quick run stopped at step 114 (its peak learning rate) had never been
// validated and saved a model 0.4 dB below the one it started from, with an empty chart for six
// minutes. Each validation can become the run's best and be exported, so a Stop at any step saves a
// model at least as good as every validated point before it, the start included.

export const EARLY_VALIDATION_EVERY = 25;
export const EARLY_VALIDATION_UNTIL = 200;

/** Whether the step just taken (`step`, 1-based) is followed by a validation before the epoch's end. */
export function validatesEarlyAfter(step: number, epochStep: number, stepsPerEpoch: number): boolean {
  if (epochStep >= stepsPerEpoch) return false; // the epoch's end validates anyway
  return step <= EARLY_VALIDATION_UNTIL && step % EARLY_VALIDATION_EVERY === 0;
}

/** How many validations a fresh run of `epochs` × `stepsPerEpoch` steps makes: the start's, the early ones and one per epoch. */
export function validationCount(epochs: number, stepsPerEpoch: number): number {
  let early = 0;
  for (
    let step = EARLY_VALIDATION_EVERY;
    step <= Math.min(EARLY_VALIDATION_UNTIL, epochs * stepsPerEpoch);
    step += EARLY_VALIDATION_EVERY
  ) {
    if (step % stepsPerEpoch !== 0) early += 1;
  }
  return 1 + early + epochs;
}
