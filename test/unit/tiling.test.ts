import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { effectiveMargin, planTiles, readTileInput, reflectIndex } from '../../src-main/engine/infer/tiling.js';
import { createPixels } from '../../src-main/engine/io/pixels.js';

describe('reflectIndex', () => {
  it('mirrors without repeating the edge sample', () => {
    expect([-3, -2, -1, 0, 1, 2, 3, 4, 5, 6].map((i) => reflectIndex(i, 4))).toEqual([3, 2, 1, 0, 1, 2, 3, 2, 1, 0]);
    expect(reflectIndex(-5, 1)).toBe(0);
  });
  it('always lands inside the image', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000, max: 10_000 }), fc.integer({ min: 1, max: 300 }), (i, n) => {
        const r = reflectIndex(i, n);
        return r >= 0 && r < n && (i < 0 || i >= n || r === i);
      }),
    );
  });
});

describe('planTiles', () => {
  it('partitions the image into cores with aligned, size-multiple network inputs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 700 }),
        fc.integer({ min: 1, max: 700 }),
        fc.integer({ min: 16, max: 600 }),
        fc.integer({ min: 0, max: 48 }),
        fc.constantFrom(1, 2, 4, 8),
        (w, h, tileSize, requested, m) => {
          const tiles = planTiles(w, h, { tileSize, margin: requested, sizeMultiple: m });
          const margin = effectiveMargin({ tileSize, margin: requested, sizeMultiple: m });
          if (margin < Math.min(requested, tileSize / 4 - m)) return false;
          const covered = new Uint8Array(w * h);
          for (const t of tiles) {
            if (t.x % m !== 0 || t.y % m !== 0) return false;
            if (t.inWidth % m !== 0 || t.inHeight % m !== 0) return false;
            if (t.inX > t.x - margin || t.inY > t.y - margin) return false;
            if (t.inX + t.inWidth < t.x + t.width + margin || t.inY + t.inHeight < t.y + t.height + margin)
              return false;
            for (let y = t.y; y < t.y + t.height; y++) for (let x = t.x; x < t.x + t.width; x++) covered[y * w + x]!++;
          }
          return covered.every((c) => c === 1);
        },
      ),
      { numRuns: 200 },
    );
  });
  it('numbers rows so callers can stream by tile rows', () => {
    const tiles = planTiles(1000, 700, { tileSize: 512, margin: 32, sizeMultiple: 4 });
    expect(tiles.map((t) => t.row)).toEqual([0, 0, 0, 1, 1, 1]); // cores of 512 − 2·32 = 448
    expect(tiles[1]!.x).toBe(448);
  });
});

describe('readTileInput', () => {
  it('reflect-pads past the border, scales to 0..1, selects channels and appends the noise plane', () => {
    const img = createPixels(3, 2, 2, 8); // grey + alpha
    for (let i = 0; i < 6; i++) {
      img.data[i * 2] = i * 10;
      img.data[i * 2 + 1] = 255;
    }
    const tile = { x: 0, y: 0, width: 3, height: 2, inX: -1, inY: -1, inWidth: 5, inHeight: 4, row: 0 };
    const input = readTileInput(img, tile, [0], 0.5);
    const greys = Array.from({ length: 20 }, (_, i) => Math.round(input[i * 2]! * 255));
    expect(greys).toEqual([40, 30, 40, 50, 40, 10, 0, 10, 20, 10, 40, 30, 40, 50, 40, 10, 0, 10, 20, 10]);
    expect(Array.from({ length: 20 }, (_, i) => input[i * 2 + 1])).toEqual(new Array(20).fill(0.5));
  });
});
