// The Compare view denoises what is in view as tiles on one fixed grid over the whole photo, so a
// tile denoised once serves every later view that shows it (panning back, zooming) from the cache.
// Pure geometry: which tiles a region needs, and in which order to ask for them — tiles the user
// can see before hidden ones, then nearest the pointer, or without one nearest the divider, then
// nearest the middle of the view — and how large the overview of a big photo should be.
import { fitScale, type Point, type Rect, type Size } from './viewport.js';

/**
 * Side of a grid tile in image pixels. 256 keeps one engine request well under a second on an
 * idle 2-core machine (so a stale tile after a pan costs little and each tile lands soon). The
 * engine denoises it with 32 px of the photo around it, so the network sees (320/256)² ≈ 1.56× the
 * pixels shown; larger tiles would cost less per pixel but land more slowly and waste more when
 * the view moves on.
 */
export const TILE_SIDE = 256;

export interface GridTile extends Rect {
  col: number;
  row: number;
}

export function tileKey(tile: Pick<GridTile, 'col' | 'row'>): string {
  return `${tile.col},${tile.row}`;
}

/** The grid tiles (clamped to the image) that overlap `region`, row by row. */
export function tilesInRegion(region: Rect, image: Size, side = TILE_SIDE): GridTile[] {
  if (region.width <= 0 || region.height <= 0) return [];
  const x1 = Math.min(image.width, region.x + region.width);
  const y1 = Math.min(image.height, region.y + region.height);
  const tiles: GridTile[] = [];
  for (let row = Math.floor(Math.max(0, region.y) / side); row * side < y1; row++) {
    for (let col = Math.floor(Math.max(0, region.x) / side); col * side < x1; col++) {
      const x = col * side;
      const y = row * side;
      tiles.push({ col, row, x, y, width: Math.min(side, image.width - x), height: Math.min(side, image.height - y) });
    }
  }
  return tiles;
}

/** Horizontal distance in image pixels from a tile to the divider's column; 0 when the divider crosses it. */
export function dividerDistance(tile: Rect, dividerX: number): number {
  if (dividerX < tile.x) return tile.x - dividerX;
  if (dividerX > tile.x + tile.width) return dividerX - (tile.x + tile.width);
  return 0;
}

/** Distance in image pixels from a point to the nearest pixel of a tile; 0 inside it. */
export function pointDistance(tile: Rect, p: Point): number {
  const dx = Math.max(tile.x - p.x, 0, p.x - (tile.x + tile.width));
  const dy = Math.max(tile.y - p.y, 0, p.y - (tile.y + tile.height));
  return Math.hypot(dx, dy);
}

/**
 * Tiles shown first; then, with a pointer over the photo (`focus`, image pixels), nearest it —
 * where the user looks — else nearest the divider, then nearest the view's vertical centre `centreY`.
 */
export function orderTiles<T extends { tile: Rect; shown: boolean }>(
  items: readonly T[],
  dividerX: number,
  centreY: number,
  focus: Point | null = null,
): T[] {
  const rank = (item: T): [number, number, number] =>
    focus
      ? [item.shown ? 0 : 1, pointDistance(item.tile, focus), 0]
      : [
          item.shown ? 0 : 1,
          dividerDistance(item.tile, dividerX),
          Math.abs(item.tile.y + item.tile.height / 2 - centreY),
        ];
  return items
    .map((item) => ({ item, rank: rank(item) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.rank[2] - b.rank[2])
    .map(({ item }) => item);
}

/**
 * Below this zoom a big photo is first shown whole, reduced and denoised (the overview), while its
 * full-size tiles come in behind it; at 50 % and above the tiles are what the user inspects, and the
 * overview — at most half as sharp as the screen there — is not shown.
 */
export const OVERVIEW_BELOW_SCALE = 0.5;

/** Overview sides are rounded up to this, so a small change of the window does not ask for a new one. */
const OVERVIEW_STEP = 128;
const OVERVIEW_MAX_SIDE = 2048;

/**
 * The long side in pixels of the overview of `image` for a view of `view` CSS pixels at
 * `pixelRatio` device pixels each: as sharp as the screen shows the photo at Fit. Null when the
 * photo fits at 50 % or more: then its tiles are few, and each is already as cheap as it gets.
 */
export function overviewSide(image: Size, view: Size, pixelRatio = 1): number | null {
  const scale = fitScale(image, view);
  if (scale >= OVERVIEW_BELOW_SCALE || view.width <= 0 || view.height <= 0) return null;
  const long = Math.max(image.width, image.height);
  const shown = Math.ceil((long * scale * pixelRatio) / OVERVIEW_STEP) * OVERVIEW_STEP;
  // On a high-density screen the screen's pixels could ask for nearly the whole photo: an overview is a reduction.
  return Math.min(OVERVIEW_MAX_SIDE, shown, Math.floor(long * OVERVIEW_BELOW_SCALE));
}
