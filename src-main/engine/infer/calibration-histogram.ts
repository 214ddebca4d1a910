// Activation ranges from a histogram instead of the plain min/max: a handful of extreme values
// (one bright specular pixel in 2 million) would otherwise stretch a tensor's 256 int8 levels over a
// range the other values never use, and the rounding step that every value then pays grows with it.
// The calibration fills one histogram per tensor over its min..max (a second pass over the same
// patches) and these pure functions pick the clipped range: a percentile of the values, or the
// range whose expected squared error (rounding inside, clipping outside) is smallest.
import type { ActivationRange } from '../onnx/quantize-graph.js';

/** How a tensor's calibration values become its quantisation range. */
export type RangeMethod = { kind: 'minmax' } | { kind: 'percentile'; percentile: number } | { kind: 'mse' };

/** Counts of values in `bins` equal-width bins over [min, max] (both ends included). */
export interface ActivationHistogram {
  min: number;
  max: number;
  counts: Float64Array;
}

export const HISTOGRAM_BINS = 2048;

export function emptyHistogram(range: ActivationRange, bins = HISTOGRAM_BINS): ActivationHistogram {
  return { min: range.min, max: range.max, counts: new Float64Array(bins) };
}

/** Adds `values` to `h` (values outside [min, max] go to the end bins). */
export function addToHistogram(h: ActivationHistogram, values: Float32Array): void {
  const bins = h.counts.length;
  const width = h.max - h.min;
  if (!(width > 0)) {
    h.counts[0] = h.counts[0]! + values.length;
    return;
  }
  const perUnit = bins / width;
  for (let i = 0; i < values.length; i++) {
    const b = Math.floor((values[i]! - h.min) * perUnit);
    h.counts[b < 0 ? 0 : b >= bins ? bins - 1 : b]! += 1;
  }
}

function binCentre(h: ActivationHistogram, b: number): number {
  return h.min + ((b + 0.5) * (h.max - h.min)) / h.counts.length;
}

/**
 * The range that drops (100 − percentile)% of the values at each end: the upper bound is the
 * right edge of the bin where the cumulative count reaches `percentile`%, the lower bound likewise
 * from below. 100 gives [min, max].
 */
export function percentileRange(h: ActivationHistogram, percentile: number): ActivationRange {
  const total = h.counts.reduce((a, b) => a + b, 0);
  if (total === 0 || percentile >= 100) return { min: h.min, max: h.max };
  const tail = (total * (100 - percentile)) / 100;
  const bins = h.counts.length;
  const width = (h.max - h.min) / bins;
  let hi = bins - 1;
  for (let seen = 0; hi > 0 && seen + h.counts[hi]! <= tail; hi--) seen += h.counts[hi]!;
  let lo = 0;
  for (let seen = 0; lo < hi && seen + h.counts[lo]! <= tail; lo++) seen += h.counts[lo]!;
  return { min: lo === 0 ? h.min : h.min + lo * width, max: hi === bins - 1 ? h.max : h.min + (hi + 1) * width };
}

/**
 * Expected squared error of quantising the histogram's values to 256 levels over [lo, hi] (widened
 * to hold 0): step²/12 for each value inside, the squared distance to the bound for each outside.
 */
export function quantisationError(h: ActivationHistogram, range: ActivationRange): number {
  const lo = Math.min(0, range.min);
  const hi = Math.max(0, range.max);
  const step = (hi - lo) / 255;
  let error = 0;
  for (let b = 0; b < h.counts.length; b++) {
    const n = h.counts[b]!;
    if (n === 0) continue;
    const v = binCentre(h, b);
    error += n * (v > hi ? (v - hi) ** 2 : v < lo ? (lo - v) ** 2 : (step * step) / 12);
  }
  return error;
}

/** The range [t·min, t·max] (t in (0, 1], 200 steps) with the smallest quantisationError. */
export function mseOptimalRange(h: ActivationHistogram, steps = 200): ActivationRange {
  let best: ActivationRange = { min: h.min, max: h.max };
  let bestError = quantisationError(h, best);
  for (let k = 1; k < steps; k++) {
    const t = k / steps;
    const candidate = { min: h.min * t, max: h.max * t };
    const error = quantisationError(h, candidate);
    if (error < bestError) [best, bestError] = [candidate, error];
  }
  return best;
}

/** The range `method` picks from a tensor's histogram. */
export function rangeFromHistogram(h: ActivationHistogram, method: RangeMethod): ActivationRange {
  if (method.kind === 'percentile') return percentileRange(h, method.percentile);
  if (method.kind === 'mse') return mseOptimalRange(h);
  return { min: h.min, max: h.max };
}
