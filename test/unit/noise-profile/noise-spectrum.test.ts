// The Haar energy shares a noise field's scale is read by.
import { describe, expect, it } from 'vitest';
import {
  planeSpectrum,
  rgbNoiseSpectra,
  SPECTRUM_LEVELS,
} from '../../../src-main/engine/noise-profile/noise-spectrum.js';
import { SeededRandom } from '../../../src-main/engine/util/rng.js';

describe('planeSpectrum', () => {
  it('puts 3/4 of white noise in the finest level and a quarter of the rest in each coarser one', () => {
    const rng = new SeededRandom(3);
    const [w, h] = [256, 256];
    const plane = Float64Array.from({ length: w * h }, () => 2 * rng.normal());
    const { rms, shares } = planeSpectrum(plane, w, h);
    expect(rms).toBeCloseTo(2, 1);
    expect(shares).toHaveLength(SPECTRUM_LEVELS + 1);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    const expected = [0.75, 0.1875, 0.046875, 0.01171875, 0.00390625];
    shares.forEach((s, i) => expect(Math.abs(s - expected[i]!)).toBeLessThan(0.15 * expected[i]! + 0.002));
  });

  it('reads a one-pixel checkerboard as the finest level only, a constant offset as the coarsest', () => {
    const [w, h] = [32, 48];
    const checker = Float64Array.from({ length: w * h }, (_, i) => (((i % w) + Math.floor(i / w)) % 2 ? 1 : -1));
    expect(planeSpectrum(checker, w, h).shares[0]).toBeCloseTo(1, 10);
    const offset = new Float64Array(w * h).fill(3);
    const flat = planeSpectrum(offset, w, h);
    expect(flat.rms).toBeCloseTo(3, 10);
    expect(flat.shares[SPECTRUM_LEVELS]).toBeCloseTo(1, 10);
  });

  it('moves blurred noise to coarser levels, and splits RGB noise into luma and colour', () => {
    const rng = new SeededRandom(5);
    const [w, h] = [128, 128];
    const white = Float64Array.from({ length: w * h }, () => rng.normal());
    // A 4×4 box blur: the noise is correlated over 4 px.
    const blurred = white.map((_, i) => {
      const [x, y] = [i % w, Math.floor(i / w)];
      let s = 0;
      for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) s += white[((y + dy) % h) * w + ((x + dx) % w)]!;
      return s / 4;
    });
    expect(planeSpectrum(blurred, w, h).shares[0]).toBeLessThan(0.3);
    // Grey noise (R = G = B) has no colour.
    const grey = new Float64Array(w * h * 3).map((_, i) => white[Math.floor(i / 3)]!);
    const { y, cb, cr } = rgbNoiseSpectra(grey, w, h);
    expect(y.rms).toBeGreaterThan(0.9);
    expect(cb.rms).toBeLessThan(1e-6);
    expect(cr.rms).toBeLessThan(1e-6);
  });

  it('refuses a plane smaller than the pyramid', () => {
    expect(() => planeSpectrum(new Float64Array(8 * 8), 8, 8)).toThrow(/smaller than/);
  });
});
