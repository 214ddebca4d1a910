import { describe, expect, it } from 'vitest';
import { gaussianKernel1d, psnr, ssim } from '../../src-main/engine/infer/metrics.js';
import { createRaster, type Raster } from '../../src-main/engine/io/raster.js';

function filled(w: number, h: number, c: number, f: (i: number) => number): Raster {
  const r = createRaster(w, h, c);
  for (let i = 0; i < r.data.length; i++) r.data[i] = f(i);
  return r;
}

// A deterministic pseudo-random texture (LCG), so the test needs no fixtures.
function texture(w: number, h: number, c: number, seed: number): Raster {
  let s = seed >>> 0;
  return filled(w, h, c, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  });
}

describe('psnr', () => {
  it('is infinite for identical images', () => {
    const a = texture(16, 16, 1, 1);
    expect(psnr(a, a)).toBe(Infinity);
  });
  it('matches 20·log10(1/d) for a constant offset d', () => {
    const a = filled(20, 10, 3, () => 0.4);
    const b = filled(20, 10, 3, () => 0.4 + 10 / 255);
    expect(psnr(a, b)).toBeCloseTo(20 * Math.log10(255 / 10), 4);
  });
});

describe('ssim', () => {
  it('is 1 for identical textured images', () => {
    const a = texture(40, 30, 3, 7);
    expect(ssim(a, a)).toBeCloseTo(1, 12);
  });
  it('reduces to the luminance term for two constant images', () => {
    const a = filled(16, 16, 1, () => 0.25);
    const b = filled(16, 16, 1, () => 0.625);
    const c1 = 0.01 ** 2;
    expect(ssim(a, b)).toBeCloseTo((2 * 0.25 * 0.625 + c1) / (0.25 ** 2 + 0.625 ** 2 + c1), 10);
  });
  it('equals the textbook 2-D Gaussian-window formula on an 11×11 image (one window)', () => {
    const x = texture(11, 11, 1, 3);
    const noise = texture(11, 11, 1, 4);
    const y = filled(11, 11, 1, (i) => 0.7 * x.data[i]! + 0.3 * noise.data[i]!);
    const k = gaussianKernel1d();
    let mx = 0,
      my = 0;
    for (let j = 0; j < 11; j++)
      for (let i = 0; i < 11; i++) {
        const w = k[j]! * k[i]!;
        mx += w * x.data[j * 11 + i]!;
        my += w * y.data[j * 11 + i]!;
      }
    let vx = 0,
      vy = 0,
      cxy = 0;
    for (let j = 0; j < 11; j++)
      for (let i = 0; i < 11; i++) {
        const w = k[j]! * k[i]!;
        const dx = x.data[j * 11 + i]! - mx;
        const dy = y.data[j * 11 + i]! - my;
        vx += w * dx * dx;
        vy += w * dy * dy;
        cxy += w * dx * dy;
      }
    const c1 = 0.01 ** 2,
      c2 = 0.03 ** 2;
    const expected = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
    expect(expected).toBeLessThan(0.99);
    expect(ssim(x, y)).toBeCloseTo(expected, 10);
  });
  it('has an 11-tap window with σ 1.5 that sums to one', () => {
    const k = gaussianKernel1d();
    expect(k.length).toBe(11);
    expect(k.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(k[5]! / k[6]!).toBeCloseTo(Math.exp(1 / (2 * 1.5 * 1.5)), 12);
  });
});
