import { describe, expect, it } from 'vitest';
import { batchEstimate } from '../../src-main/engine-client/job-estimate.js';

const MP = 1e6;

describe('batchEstimate', () => {
  it('has no speed or ETA before any progress', () => {
    expect(batchEstimate(0, [MP, MP], 0, 0)).toEqual({ fraction: 0, megapixelsPerSecond: 0 });
    expect(batchEstimate(5, [MP, MP], 0, 0)).toEqual({ fraction: 0, megapixelsPerSecond: 0 });
  });

  it('weights a 12-MP photo after small ones by its pixels', () => {
    // Ten 0.25-MP photos took 10 s (0.25 MP/s); a 12-MP photo is next. Counting files said
    // "1 file left at 1 s per file"; by pixels it is 12 MP at 0.25 MP/s = 48 s.
    const pixels = [...Array.from({ length: 10 }, () => 0.25 * MP), 12 * MP];
    const atStart = batchEstimate(10, pixels, 10, 0);
    expect(atStart.megapixelsPerSecond).toBeCloseTo(0.25, 10);
    expect(atStart.etaSeconds).toBeCloseTo(48, 6);
    expect(atStart.fraction).toBeCloseTo(2.5 / 14.5, 10);
    // Half of its tiles done after 24 more seconds: 24 s left, and the bar past the middle.
    const half = batchEstimate(34, pixels, 10, 0.5);
    expect(half.etaSeconds).toBeCloseTo(24, 6);
    expect(half.fraction).toBeCloseTo(8.5 / 14.5, 10);
    expect(batchEstimate(58, pixels, 11, 0)).toEqual({ fraction: 1, megapixelsPerSecond: 14.5 / 58, etaSeconds: 0 });
  });

  it('leaves files weighing 0 (skipped, failed before they ran) out of the speed and the ETA', () => {
    // Two skipped photos then one done in 4 s: 1 MP / 4 s, one more MP to go → 4 s.
    const r = batchEstimate(4, [0, 0, MP, MP], 3, 0);
    expect(r.megapixelsPerSecond).toBeCloseTo(0.25, 10);
    expect(r.etaSeconds).toBeCloseTo(4, 10);
  });

  it('weighs a file whose pixel count is not known as the average of those that are', () => {
    // 2 MP done in 2 s; the unknown file counts as 3 MP (the average of 2 and 4), then 4 MP: 7 MP → 7 s.
    expect(batchEstimate(2, [2 * MP, undefined, 4 * MP], 1, 0).etaSeconds).toBeCloseTo(7, 10);
    // None known: one megapixel each, so the estimate is by files.
    expect(batchEstimate(10, [undefined, undefined, undefined, undefined], 2, 0.5).etaSeconds).toBeCloseTo(6, 10);
  });
});
