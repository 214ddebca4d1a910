import { describe, expect, it } from 'vitest';
import { enlargeLikeFullResolution } from '../../../src-main/engine/train/full-resolution-content.js';

function patch(side: number, value: (x: number, y: number) => number): Float32Array {
  const out = new Float32Array(side * side * 3);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) for (let k = 0; k < 3; k++) out[(y * side + x) * 3 + k] = value(x, y);
  return out;
}
const mean = (a: Float32Array): number => a.reduce((s, v) => s + v, 0) / a.length;
function std(a: Float32Array): number {
  const m = mean(a);
  return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length);
}

describe('enlargeLikeFullResolution', () => {
  it('drops detail of one pixel (a scan’s grain) and keeps the mean', async () => {
    const checker = patch(64, (x, y) => ((x + y) % 2 ? 0.8 : 0.2));
    const out = await enlargeLikeFullResolution(checker, 64, 192);
    expect(out.length).toBe(192 * 192 * 3);
    expect(std(checker)).toBeCloseTo(0.3, 5);
    expect(std(out)).toBeLessThan(0.01);
    expect(Math.abs(mean(out) - 0.5)).toBeLessThan(2 / 255);
  });

  it('keeps content coarser than two pixels, enlarged: a ramp stays a ramp on the 8-bit grid', async () => {
    const ramp = patch(64, (x) => x / 63);
    const out = await enlargeLikeFullResolution(ramp, 64, 256);
    const row = Array.from({ length: 256 }, (_, x) => out[(100 * 256 + x) * 3]!);
    for (let x = 8; x < 248; x++) expect(row[x + 1]!).toBeGreaterThanOrEqual(row[x]! - 1 / 255);
    expect(row[8]!).toBeLessThan(0.06);
    expect(row[247]!).toBeGreaterThan(0.94);
    expect(out.every((v) => Number.isInteger(Math.round(v * 255 * 1000) / 1000))).toBe(true);
    expect(Math.abs(mean(out) - mean(ramp))).toBeLessThan(2 / 255);
  });

  it('refuses a patch whose length is not side² × channels', async () => {
    await expect(enlargeLikeFullResolution(new Float32Array(10), 64, 128)).rejects.toThrow(RangeError);
  });
});
