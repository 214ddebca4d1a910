/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { blendPixels } from '../../../src-renderer/lib/blend.js';

describe('blendPixels', () => {
  const original = new Uint8ClampedArray([0, 100, 200, 255, 255, 0, 10, 128]);
  const denoised = new Uint8ClampedArray([100, 100, 100, 0, 55, 200, 30, 0]);
  it('is the original at 0, the denoised at 1 and keeps the original alpha', () => {
    const out = new Uint8ClampedArray(8);
    blendPixels(original, denoised, 0, out);
    expect([...out]).toEqual([...original]);
    blendPixels(original, denoised, 1, out);
    expect([...out]).toEqual([100, 100, 100, 255, 55, 200, 30, 128]);
  });
  it('interpolates linearly in between (rounded like a canvas)', () => {
    const out = new Uint8ClampedArray(8);
    blendPixels(original, denoised, 0.5, out);
    expect([...out]).toEqual([50, 100, 150, 255, 155, 100, 20, 128]);
  });
  it('refuses buffers of different sizes', () => {
    expect(() => blendPixels(original, new Uint8ClampedArray(4), 1, new Uint8ClampedArray(8))).toThrow(/sizes differ/);
  });
});
