// The noise measurement on synthetic noise of known parameters, against the clean scene as the
// reference (an ideal denoiser): it must give back the level function, the correlation and the
// chroma-to-luma ratio the noise was made with, within the tolerances stated in each test.
import { describe, expect, it } from 'vitest';
import { correlatedField, smoothNoise } from '../../../src-main/engine/train/camera-noise.js';
import { flatBlocks, measureNoise, BLOCK } from '../../../src-main/engine/noise-profile/measure-noise.js';
import { SeededRandom } from '../../../src-main/engine/util/rng.js';

const SIDE = 512;

/** A grey scene of 8 flat horizontal bands, one per brightness bin (bin centres, 0..1). */
function bands(side = SIDE): Float32Array {
  const out = new Float32Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    const v = (Math.floor((y / side) * 8) + 0.5) / 8;
    out.fill(v, y * side * 3, (y + 1) * side * 3);
  }
  return out;
}

/** clean + noise (noise on 0–255), where noise[i] is given per sample. */
function addNoise(clean: Float32Array, noise: (i: number) => number): Float32Array {
  return Float32Array.from(clean, (v, i) => v + noise(i) / 255);
}

const BT601_Y = [0.299, 0.587, 0.114];
/** Chroma-to-luma ratio of independent white noise of equal σ in R, G and B (Cb = B − Y, Cr = R − Y). */
function whiteChromaToLuma(): number {
  const y = BT601_Y.reduce((s, w) => s + w * w, 0);
  const cb = BT601_Y.reduce((s, w, c) => s + ((c === 2 ? 1 : 0) - w) ** 2, 0);
  const cr = BT601_Y.reduce((s, w, c) => s + ((c === 0 ? 1 : 0) - w) ** 2, 0);
  return Math.sqrt((cb + cr) / 2 / y);
}

describe('measureNoise', () => {
  it('recovers white noise: σ 5 in every bin and channel within 3 %, no correlation (|ρ| < 0.02), chroma/luma 1.52 within 3 %', () => {
    const rng = new SeededRandom(1);
    const clean = bands();
    const stats = measureNoise(
      addNoise(clean, () => 5 * rng.normal()),
      clean,
      SIDE,
      SIDE,
    );
    expect(stats.curve).toHaveLength(8);
    for (const point of stats.curve) for (const rms of point.rms) expect(Math.abs(rms / 5 - 1)).toBeLessThan(0.03);
    for (const rho of [...stats.lumaCorrelation, ...stats.chromaCorrelation]) expect(Math.abs(rho)).toBeLessThan(0.02);
    expect(Math.abs(stats.chromaToLuma / whiteChromaToLuma() - 1)).toBeLessThan(0.03);
  });

  it('recovers a signal-dependent level function σ² = a·x + b (shot + read) within 4 % per bin and channel', () => {
    const rng = new SeededRandom(2);
    const clean = bands();
    const [a, b] = [0.12, 3];
    const sigmaAt = (x: number): number => Math.sqrt(a * x * 255 + b);
    const stats = measureNoise(
      addNoise(clean, (i) => sigmaAt(clean[i]!) * rng.normal()),
      clean,
      SIDE,
      SIDE,
    );
    expect(stats.curve).toHaveLength(8);
    for (const point of stats.curve)
      for (const rms of point.rms) expect(Math.abs(rms / sigmaAt(point.level / 255) - 1)).toBeLessThan(0.04);
    // The curve rises with brightness: the darkest bin is well under the brightest.
    expect(stats.curve[0]!.rms[1]).toBeLessThan(stats.curve[7]!.rms[1] * 0.6);
    // By luma too (grey bands: luma is each channel's value), the RMS over R, G and B.
    expect(stats.lumaCurve).toHaveLength(8);
    for (const point of stats.lumaCurve)
      expect(Math.abs(point.rms / sigmaAt(point.level / 255) - 1)).toBeLessThan(0.04);
  });

  it('bins the luma curve by the pixel’s luma, not a channel’s value: a red band and a grey band of equal luma share a bin', () => {
    const rng = new SeededRandom(5);
    const clean = new Float32Array(SIDE * SIDE * 3);
    // Top half grey at 0.299 (luma 0.299); bottom half pure red at 1 (luma 0.299 too): one luma bin, bin 2.
    for (let p = 0; p < SIDE * SIDE; p++) {
      if (p < (SIDE * SIDE) / 2) clean.fill(0.299, p * 3, p * 3 + 3);
      else clean.set([1, 0, 0], p * 3);
    }
    const stats = measureNoise(
      addNoise(clean, () => 4 * rng.normal()),
      clean,
      SIDE,
      SIDE,
    );
    // The red band counts only where none of its samples clipped (an eighth of its pixels), in bin 2 as well.
    expect(stats.lumaCurve.map((p) => Math.floor((p.level / 255) * 8))).toEqual([2]);
    expect(Math.abs(stats.lumaCurve[0]!.rms / 4 - 1)).toBeLessThan(0.04);
  });

  it('recovers the spatial correlation of Gaussian-blurred noise: ρ(d) = exp(−d²/4s²) for s = 1, within 0.04', () => {
    const rng = new SeededRandom(3);
    const clean = bands();
    const fields = [0, 1, 2].map(() => correlatedField(SIDE, SIDE, 1, rng));
    const stats = measureNoise(
      addNoise(clean, (i) => 4 * fields[i % 3]![Math.floor(i / 3)]!),
      clean,
      SIDE,
      SIDE,
    );
    const expected = [1, 1, 2, 4, 4].map((d2) => Math.exp(-d2 / 4)); // lags (1,0), (0,1), (1,1), (2,0), (0,2)
    stats.lumaCorrelation.forEach((rho, k) => expect(Math.abs(rho - expected[k]!)).toBeLessThan(0.04));
    stats.chromaCorrelation.forEach((rho, k) => expect(Math.abs(rho - expected[k]!)).toBeLessThan(0.04));
  });

  it('tells chroma smoothing from luma: in-camera chroma blur s = 2 leaves luma white (|ρ| < 0.03) and chroma correlated (ρ(1) = e^(−1/16) within 0.06, chroma/luma down by ≥ 2.5×)', () => {
    const rng = new SeededRandom(4);
    const clean = bands();
    const white = Float32Array.from({ length: SIDE * SIDE * 3 }, () => (6 / 255) * rng.normal());
    const smoothed = smoothNoise(white, SIDE, SIDE, 0, 2);
    const stats = measureNoise(
      addNoise(clean, (i) => smoothed[i]! * 255),
      clean,
      SIDE,
      SIDE,
    );
    for (const rho of stats.lumaCorrelation) expect(Math.abs(rho)).toBeLessThan(0.03);
    expect(Math.abs(stats.chromaCorrelation[0]! - Math.exp(-1 / 16))).toBeLessThan(0.06);
    expect(stats.chromaToLuma).toBeLessThan(whiteChromaToLuma() / 2.5);
  });

  it('measures only flat blocks: the textured half of a scene is left out, and its (stronger) noise is not counted', () => {
    const rng = new SeededRandom(5);
    const side = 256;
    const clean = new Float32Array(side * side * 3);
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++)
        clean.fill(x < side / 2 ? 0.5 : 0.2 + 0.6 * ((x + y) % 2), (y * side + x) * 3, (y * side + x + 1) * 3);
    const { corners, seen } = flatBlocks(clean, side, side);
    expect(seen).toBe((side / BLOCK) ** 2);
    expect(corners).toHaveLength(seen / 2);
    for (const [x] of corners) expect(x).toBeLessThan(side / 2);
    // Far stronger noise in the textured half would show in the figure if its blocks were counted.
    const noisy = addNoise(clean, (i) => (Math.floor(i / 3) % side < side / 2 ? 3 : 20) * rng.normal());
    const stats = measureNoise(noisy, clean, side, side);
    expect(Math.abs(stats.overallRms / 3 - 1)).toBeLessThan(0.04);
  });
});
