// Progress, speed and time left of a batch, weighted by pixels: a 12-MP photo after a run of small
// ones is most of the work, so counting files ("images/s") promised "about 24 s left" and then sat
// for 85 s. Pure functions; the queue feeds them and the tests pin them down.

/** What the bar, the speed and the ETA say at one moment of a batch. */
export interface BatchEstimate {
  /** 0..1 of the batch's pixels processed. */
  fraction: number;
  /** Pixels processed per second since the batch started, in millions (0 before any). */
  megapixelsPerSecond: number;
  /** Seconds left at that speed; absent until there is a basis for it. */
  etaSeconds?: number;
}

/**
 * The estimate after `elapsedSeconds`, with files before `fileIndex` finished and `currentFraction`
 * (tiles done / tiles) of file `fileIndex` processed. `pixels` holds each file's pixel count: known in
 * advance (the library's scan) or once the file is done; undefined counts as the average of the known
 * ones (one megapixel when none is known); 0 (skipped, or failed before it ran) neither speeds up nor
 * slows down the estimate.
 */
export function batchEstimate(
  elapsedSeconds: number,
  pixels: readonly (number | undefined)[],
  fileIndex: number,
  currentFraction: number,
): BatchEstimate {
  let knownSum = 0;
  let knownCount = 0;
  for (const p of pixels) {
    if (p !== undefined && p > 0) {
      knownSum += p;
      knownCount++;
    }
  }
  const average = knownCount ? knownSum / knownCount : 1e6;
  let total = 0;
  let done = 0;
  for (const [i, known] of pixels.entries()) {
    const p = known ?? average;
    total += p;
    if (i < fileIndex) done += p;
    else if (i === fileIndex) done += p * Math.min(1, Math.max(0, currentFraction));
  }
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  if (done <= 0 || elapsedSeconds <= 0) return { fraction, megapixelsPerSecond: 0 };
  const perSecond = done / elapsedSeconds;
  return { fraction, megapixelsPerSecond: perSecond / 1e6, etaSeconds: Math.max(0, (total - done) / perSecond) };
}
