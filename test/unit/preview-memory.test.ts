// What a thumbnail costs to decode, told from real headers (huge JPEGs written by flatJpeg, read by
// sharp), which ones are refused, and the gate that keeps previews made at once within the budget.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  MemoryGate,
  PREVIEW_MEMORY_BUDGET,
  previewCost,
  previewRefusal,
} from '../../src-main/engine/library/preview-memory.js';
import { flatJpeg } from '../helpers/flat-jpeg.js';

const MIB = 1024 * 1024;

describe('previewCost and previewRefusal', () => {
  it('weighs a progressive 16,000² JPEG by its coefficients and refuses it; a baseline one streams', async () => {
    const progressive = await sharp(flatJpeg(16_000, 16_000, { progressive: true })).metadata();
    expect(progressive).toMatchObject({ width: 16_000, isProgressive: true, chromaSubsampling: '4:2:0' });
    expect(previewCost(progressive)).toBe(16_000 * 16_000 * 1.5 * 2); // 768 MB
    expect(previewRefusal(progressive)).toMatch(
      /^too large for a preview: a progressive JPEG of 16000 × 16000 pixels needs about 732 MB to decode \(the limit is 512 MB\)/,
    );

    const baseline = await sharp(flatJpeg(16_000, 16_000, { progressive: false })).metadata();
    expect(previewCost(baseline)).toBeLessThanOrEqual(16 * MIB);
    expect(previewRefusal(baseline)).toBeUndefined();

    const smaller = await sharp(flatJpeg(8_000, 8_000, { progressive: true })).metadata();
    expect(previewCost(smaller)).toBe(8_000 * 8_000 * 3);
    expect(previewRefusal(smaller)).toBeUndefined();
  });

  it('weighs 4:4:4 JPEGs, interlaced PNGs and whole-decoded formats by what they hold', async () => {
    const meta = { width: 10_000, height: 10_000, channels: 3 as const, depth: 'uchar' as const };
    expect(previewCost({ ...meta, format: 'jpeg', isProgressive: true, chromaSubsampling: '4:4:4' })).toBe(
      10_000 * 10_000 * 3 * 2,
    );
    expect(previewRefusal({ ...meta, format: 'jpeg', isProgressive: true, chromaSubsampling: '4:4:4' })).toMatch(
      /too large for a preview/,
    );
    expect(previewCost({ ...meta, format: 'png', isProgressive: true, depth: 'ushort' })).toBe(10_000 * 10_000 * 3 * 2);
    expect(previewCost({ ...meta, format: 'png', isProgressive: false })).toBeLessThanOrEqual(16 * MIB);
    expect(previewCost({ ...meta, format: 'heif' })).toBe(10_000 * 10_000 * 3);
  });

  it('names the kind of image with its article: "an interlaced PNG", "an avif file", "a heif file"', () => {
    const meta = { width: 16_000, height: 16_000, channels: 3 as const, depth: 'ushort' as const };
    expect(previewRefusal({ ...meta, format: 'png', isProgressive: true })).toMatch(
      /^too large for a preview: an interlaced PNG of 16000 × 16000 pixels/,
    );
    expect(previewRefusal({ ...meta, format: 'avif' as never })).toMatch(/: an avif file of /);
    expect(previewRefusal({ ...meta, format: 'heif' })).toMatch(/: a heif file of /);
  });

  it('refuses anything over 16,384² pixels whatever its format', () => {
    expect(previewRefusal({ format: 'png', width: 20_000, height: 20_000, channels: 3 })).toMatch(
      /too large for a preview \(20000 × 20000 pixels/,
    );
    expect(previewRefusal({ format: 'png', width: 16_384, height: 16_384, channels: 3 })).toBeUndefined();
  });
});

describe('MemoryGate', () => {
  /** Runs tasks of the given weights through a gate, recording the most held at once. */
  async function peak(
    gate: MemoryGate,
    weights: number[],
  ): Promise<{ holders: number; used: number; order: number[] }> {
    let holders = 0;
    let used = 0;
    const order: number[] = [];
    await Promise.all(
      weights.map((weight, i) =>
        gate.run(weight, async () => {
          holders = Math.max(holders, gate.load.holders);
          used = Math.max(used, gate.load.used);
          order.push(i);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }),
      ),
    );
    return { holders, used, order };
  }

  it('runs at most `slots` at once, and heavy ones alone, in order', async () => {
    const gate = new MemoryGate(100, 2);
    expect(await peak(gate, [1, 1, 1, 1, 1, 1])).toMatchObject({ holders: 2, used: 2 });
    const heavy = await peak(gate, [60, 60, 10, 60]);
    expect(heavy.used).toBeLessThanOrEqual(100);
    expect(heavy.order).toEqual([0, 1, 2, 3]);
    expect(gate.load).toEqual({ holders: 0, used: 0, waiting: 0 });
  });

  it('lets one over-budget task through alone rather than never, and frees its share when it throws', async () => {
    const gate = new MemoryGate(PREVIEW_MEMORY_BUDGET, 2);
    await expect(
      gate.run(10 * PREVIEW_MEMORY_BUDGET, () => Promise.reject(new Error('decode failed'))),
    ).rejects.toThrow('decode failed');
    expect(gate.load).toEqual({ holders: 0, used: 0, waiting: 0 });
    expect((await peak(gate, [PREVIEW_MEMORY_BUDGET * 2, 1])).used).toBe(PREVIEW_MEMORY_BUDGET);
  });
});
