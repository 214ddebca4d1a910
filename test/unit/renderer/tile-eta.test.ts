import { describe, expect, it } from 'vitest';
import { tileEtaSeconds } from '../../../src-renderer/lib/tile-eta.js';

describe('tileEtaSeconds', () => {
  it('extrapolates the time per tile since the first tile, not since the start', () => {
    // First tile after 20 s of decoding; then 10 tiles in 5 s: 0.5 s a tile, 89 left.
    expect(tileEtaSeconds({ at: 20_000, done: 1 }, { at: 25_000, done: 11 }, 100)).toBeCloseTo(44.5, 6);
  });
  it('is unknown until a second count arrives, and 0 at the end', () => {
    expect(tileEtaSeconds({ at: 20_000, done: 1 }, { at: 20_000, done: 1 }, 100)).toBeUndefined();
    expect(tileEtaSeconds({ at: 0, done: 1 }, { at: 1000, done: 100 }, 100)).toBe(0);
  });
});
