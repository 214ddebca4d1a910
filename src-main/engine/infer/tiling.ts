// Tiling for networks run on images of any size, as pure functions. The image is cut into a grid of
// non-overlapping "core" rectangles; each tile the network sees is its core plus `margin` pixels of
// context on every side (reflect-padded past the image border) and is rounded up to the network's
// size multiple. Only the core of each output is kept ("crop the overlap centres"), so seams vanish
// as long as the margin covers the network's receptive field. Cores start at multiples of the size
// multiple, so stride-2 layers see the same phase in every tile as in a whole-image run.
import type { Pixels } from '../io/pixels.js';
import { DEFAULT_TILE_SIZE } from '../../../src-shared/denoise-defaults.js';

export interface TilingOptions {
  /** Side of the tiles the network sees (before rounding up to sizeMultiple). */
  tileSize: number;
  /** Context kept around each core, each side; overlap between neighbouring tiles is 2·margin. */
  margin: number;
  /** The network's input sides must be multiples of this. */
  sizeMultiple: number;
}

export interface Tile {
  /** The core: the output pixels this tile owns. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The region the network sees, in image coordinates (may extend past the image). */
  inX: number;
  inY: number;
  inWidth: number;
  inHeight: number;
  /** Row of the grid, for callers that stream by tile rows. */
  row: number;
}

/** Re-exported for the engine's callers; stated once in src-shared. */
export { DEFAULT_TILE_SIZE };
export const DEFAULT_MARGIN = 32;

export function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/** Mirror index into 0..n-1 without repeating the edge sample (…2 1 [0 1 2 … n-1] n-2…). */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - m;
}

/**
 * The margin actually used: the requested one on the size-multiple grid, but at most a quarter of
 * the tile, so small tiles still spend at least half their side on pixels they own.
 */
export function effectiveMargin(options: TilingOptions): number {
  const m = options.sizeMultiple;
  return Math.min(roundUp(options.margin, m), Math.floor(options.tileSize / 4 / m) * m);
}

/** The tiles covering a width×height image, row by row. */
export function planTiles(width: number, height: number, options: TilingOptions): Tile[] {
  const m = options.sizeMultiple;
  const margin = effectiveMargin(options);
  const core = Math.max(m, roundUp(options.tileSize, m) - 2 * margin);
  const tiles: Tile[] = [];
  let row = 0;
  for (let y = 0; y < height; y += core, row++) {
    for (let x = 0; x < width; x += core) {
      const w = Math.min(core, width - x);
      const h = Math.min(core, height - y);
      tiles.push({
        x,
        y,
        width: w,
        height: h,
        inX: x - margin,
        inY: y - margin,
        inWidth: roundUp(w + 2 * margin, m),
        inHeight: roundUp(h + 2 * margin, m),
        row,
      });
    }
  }
  return tiles;
}

/**
 * The network input for one tile as NHWC float (N=1): channel k of the input is image channel
 * `sources[k]` scaled to 0..1, reflect-padded; `extraPlane` (the noise level) is appended if given.
 */
export function readTileInput(
  image: Pixels,
  tile: Tile,
  sources: readonly number[],
  extraPlane?: number,
): Float32Array {
  const c = sources.length + (extraPlane === undefined ? 0 : 1);
  const out = new Float32Array(tile.inWidth * tile.inHeight * c);
  const inv = 1 / image.scale;
  const columns = new Int32Array(tile.inWidth);
  for (let tx = 0; tx < tile.inWidth; tx++) columns[tx] = reflectIndex(tile.inX + tx, image.width);
  let o = 0;
  for (let ty = 0; ty < tile.inHeight; ty++) {
    const rowBase = reflectIndex(tile.inY + ty, image.height) * image.width;
    for (let tx = 0; tx < tile.inWidth; tx++) {
      const base = (rowBase + columns[tx]!) * image.channels;
      for (let k = 0; k < sources.length; k++) out[o++] = image.data[base + sources[k]!]! * inv;
      if (extraPlane !== undefined) out[o++] = extraPlane;
    }
  }
  return out;
}
