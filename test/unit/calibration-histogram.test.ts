// Activation ranges from calibration histograms: a percentile drops exactly the stated share of
// extreme values, the MSE-optimal range clips a long tail but not a dense range, and both agree
// with min/max where nothing is worth clipping.
import { describe, expect, it } from 'vitest';
import {
  addToHistogram,
  emptyHistogram,
  mseOptimalRange,
  percentileRange,
  quantisationError,
  rangeFromHistogram,
} from '../../src-main/engine/infer/calibration-histogram.js';
import { SeededRandom } from '../../src-main/engine/util/rng.js';

function histogramOf(values: Float32Array, bins?: number) {
  let [min, max] = [Infinity, -Infinity];
  for (const v of values) [min, max] = [Math.min(min, v), Math.max(max, v)];
  const h = emptyHistogram({ min, max }, bins);
  addToHistogram(h, values);
  return h;
}

describe('calibration histogram', () => {
  it('counts every value, the extremes in the end bins', () => {
    const h = histogramOf(Float32Array.of(0, 0.5, 1, 1, 0.25), 4);
    expect(Array.from(h.counts)).toEqual([1, 1, 1, 2]);
  });

  it('percentileRange drops the top and bottom (100 − p)% and no more', () => {
    // 0..9999 (post-Relu-like: lowest is 0) plus 10 outliers at 1e6.
    const values = Float32Array.from({ length: 10_010 }, (_, i) => (i < 10_000 ? i : 1e6));
    const h = histogramOf(values, 1_000_000);
    const r = percentileRange(h, 99.9);
    // 0.1% of 10 010 = 10 values dropped from the top: the outliers, so the range ends near 9 999.
    expect(r.max).toBeGreaterThanOrEqual(9_999);
    expect(r.max).toBeLessThan(10_002);
    expect(r.min).toBeLessThanOrEqual(10);
    expect(percentileRange(h, 100)).toEqual({ min: 0, max: 1e6 });
  });

  it('mseOptimalRange clips a long exponential tail (8-bit optimum near 10× the scale) but keeps a dense uniform range whole', () => {
    const rng = new SeededRandom(3);
    // Exponential of scale 1, like a post-Relu activation: 200 000 values reach about ln(200 000) ≈ 12.
    const h = histogramOf(Float32Array.from({ length: 200_000 }, () => -Math.log(1 - rng.next())));
    const clipped = mseOptimalRange(h);
    expect(clipped.max).toBeLessThan(0.9 * h.max);
    expect(clipped.max).toBeGreaterThan(6);
    expect(quantisationError(h, clipped)).toBeLessThan(quantisationError(h, { min: h.min, max: h.max }));
    const kept = mseOptimalRange(histogramOf(Float32Array.from({ length: 100_000 }, () => rng.uniform(0, 1))));
    expect(kept.max).toBeGreaterThan(0.99);
  });

  it('rangeFromHistogram: min/max, percentile or MSE as asked', () => {
    const h = histogramOf(Float32Array.from({ length: 1000 }, (_, i) => i / 999));
    expect(rangeFromHistogram(h, { kind: 'minmax' })).toEqual({ min: 0, max: 1 });
    expect(rangeFromHistogram(h, { kind: 'percentile', percentile: 99 }).max).toBeCloseTo(0.99, 2);
    expect(rangeFromHistogram(h, { kind: 'mse' }).max).toBeGreaterThan(0.99);
  });
});
