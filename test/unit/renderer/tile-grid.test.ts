import { describe, expect, it } from 'vitest';
import {
  dividerDistance,
  orderTiles,
  overviewSide,
  pointDistance,
  tileKey,
  tilesInRegion,
} from '../../../src-renderer/lib/tile-grid.js';

describe('tilesInRegion', () => {
  const image = { width: 1000, height: 600 };
  it('covers the region with grid-aligned tiles, clamped at the image edges', () => {
    const tiles = tilesInRegion({ x: 300, y: 100, width: 700, height: 500 }, image, 256);
    expect(tiles.map(tileKey)).toEqual(['1,0', '2,0', '3,0', '1,1', '2,1', '3,1', '1,2', '2,2', '3,2']);
    expect(tiles[0]).toEqual({ col: 1, row: 0, x: 256, y: 0, width: 256, height: 256 });
    // The last column and row are cut at the image's edges.
    expect(tiles.at(-1)).toEqual({ col: 3, row: 2, x: 768, y: 512, width: 232, height: 88 });
  });
  it('gives the same tiles for every region that shows them (so a pan reuses them)', () => {
    const a = tilesInRegion({ x: 10, y: 10, width: 300, height: 100 }, image, 256).map(tileKey);
    const b = tilesInRegion({ x: 200, y: 50, width: 100, height: 100 }, image, 256).map(tileKey);
    expect(a).toEqual(['0,0', '1,0']);
    expect(b).toEqual(['0,0', '1,0']);
  });
  it('a region on a tile boundary does not take the next tile; an empty region takes none', () => {
    expect(tilesInRegion({ x: 0, y: 0, width: 256, height: 256 }, image, 256).map(tileKey)).toEqual(['0,0']);
    expect(tilesInRegion({ x: 0, y: 0, width: 0, height: 100 }, image, 256)).toEqual([]);
  });
  it('the whole of a 12-MP photo is 16 × 12 tiles of 256', () => {
    expect(tilesInRegion({ x: 0, y: 0, width: 4096, height: 3072 }, { width: 4096, height: 3072 })).toHaveLength(192);
  });
});

describe('ordering', () => {
  it('measures the distance to the divider horizontally, 0 across it', () => {
    const tile = { x: 256, y: 0, width: 256, height: 256 };
    expect(dividerDistance(tile, 300)).toBe(0);
    expect(dividerDistance(tile, 100)).toBe(156);
    expect(dividerDistance(tile, 600)).toBe(88);
  });
  it('puts shown tiles first, then those nearest the divider, then those nearest the middle', () => {
    const at = (col: number, row: number, shown = true) => ({
      name: `${col},${row}`,
      shown,
      tile: { x: col * 100, y: row * 100, width: 100, height: 100 },
    });
    const items = [
      at(0, 0),
      at(0, 1),
      at(1, 0),
      at(1, 1),
      at(2, 0),
      at(2, 1),
      at(3, 0, false),
      at(3, 1, false),
      at(2, 2),
    ];
    const order = orderTiles(items, 250, 150).map((i) => i.name);
    expect(order.slice(0, 2).sort()).toEqual(['2,0', '2,1']); // the divider's column, both rows as near the middle
    expect(order[2]).toBe('2,2');
    expect(order.slice(3, 5).sort()).toEqual(['1,0', '1,1']);
    expect(order.slice(5, 7).sort()).toEqual(['0,0', '0,1']);
    expect(order.slice(7)).toEqual(['3,1', '3,0']); // hidden (beyond the divider on a side not shown): last
  });
  it('with a pointer over the photo, puts the tiles nearest it first (still shown before hidden)', () => {
    const at = (col: number, row: number, shown = true) => ({
      name: `${col},${row}`,
      shown,
      tile: { x: col * 100, y: row * 100, width: 100, height: 100 },
    });
    const items = [at(0, 0), at(1, 0), at(2, 0), at(0, 1), at(1, 1), at(2, 1), at(3, 1, false)];
    const order = orderTiles(items, 250, 100, { x: 50, y: 150 }).map((i) => i.name);
    expect(order[0]).toBe('0,1'); // under the pointer
    expect(order.slice(1, 3).sort()).toEqual(['0,0', '1,1']); // touching it
    expect(order.at(-1)).toBe('3,1');
    expect(pointDistance({ x: 100, y: 100, width: 100, height: 100 }, { x: 50, y: 150 })).toBe(50);
    expect(pointDistance({ x: 100, y: 100, width: 100, height: 100 }, { x: 150, y: 150 })).toBe(0);
  });
});

describe('overviewSide', () => {
  const photo = { width: 4096, height: 3072 };
  it('is as sharp as the screen shows a big photo at Fit, rounded up to 128', () => {
    // 1280 × 640 view: Fit is 640 / 3072 → the long side shows 853 px.
    expect(overviewSide(photo, { width: 1280, height: 640 })).toBe(896);
    expect(overviewSide(photo, { width: 1280, height: 640 }, 2)).toBe(1792);
  });
  it('stays a reduction, and is none for a photo that fits at 50 % or more', () => {
    expect(overviewSide({ width: 8000, height: 6000 }, { width: 1800, height: 1200 }, 2)).toBe(2048); // 3200 on the screen
    expect(overviewSide({ width: 3000, height: 2000 }, { width: 1200, height: 700 }, 2)).toBe(1500); // 2100 on the screen; half the photo
    expect(overviewSide({ width: 1200, height: 800 }, { width: 1280, height: 640 })).toBeNull();
    expect(overviewSide(photo, { width: 0, height: 0 })).toBeNull();
  });
});
