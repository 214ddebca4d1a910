import { describe, expect, it } from 'vitest';
import { jobRate } from '../../src-main/engine-client/job-queue.js';

describe('jobRate', () => {
  it('has no ETA before any progress', () => {
    expect(jobRate(0, 0, 0, 10)).toEqual({ imagesPerSecond: 0 });
    expect(jobRate(5, 0, 0, 10)).toEqual({ imagesPerSecond: 0 });
  });
  it('extrapolates from whole files and the current file’s tile fraction', () => {
    // 2.5 files' worth of work in 10 s → 4 s per file → 7.5 files left → 30 s.
    const r = jobRate(10, 2, 0.5, 10);
    expect(r.imagesPerSecond).toBeCloseTo(0.2, 10);
    expect(r.etaSeconds).toBeCloseTo(30, 10);
    expect(jobRate(20, 10, 0, 10).etaSeconds).toBe(0);
  });
});
