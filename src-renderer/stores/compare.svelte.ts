// The Compare view's photo, the settings of each side and the denoised tiles of the view. The whole
// visible region is denoised tile by tile on a fixed grid (lib/tile-grid.ts), one engine request at
// a time, tiles the user sees first and nearest the divider first; each tile is drawn as it lands.
// The right side is always "denoised with the chosen model"; the left is the original, or — with
// "Compare with" — a second model, strength or noise level over the same pixels.
//
// A big photo seen whole (below 50 %) needs a hundred or more full-size tiles (a minute or more of
// network time on two cores), so each denoised side first gets an overview: the whole photo reduced
// to the screen's size and denoised at its own noise level, in one request of a few seconds. It is
// shown, labelled as a preview, under the full-size tiles, which replace it one by one as they land
// (nearest the pointer first). From 50 % up the overview is not shown and tiles are marked as coming.
//
// Tiles are cached (original + denoised pixels) per photo, model and noise level. Strength is not
// in the key: it is a blend of those two images done here on the client, so one cached pair serves
// every strength and the slider answers at once. A pan or zoom replaces the queue with the new
// view's tiles; the one request already in flight is left to finish (a tile takes well under a
// second; its result is cached, since the user often pans back) rather than cancelled in the engine.
import type { ApiError } from '../../src-shared/contract.js';
import type { NoiseLevel } from '../../src-shared/schemas/denoise.js';
import type { Settings } from '../../src-shared/schemas/settings.js';
import { ByteLru } from '../lib/byte-lru.js';
import { loadImage, originalImageUrl } from '../lib/image-source.js';
import { fetchPreview, type PreviewAnswer, type PreviewView } from '../lib/preview.js';
import {
  OVERVIEW_BELOW_SCALE,
  TILE_SIDE,
  orderTiles,
  tileKey,
  tilesInRegion,
  type GridTile,
} from '../lib/tile-grid.js';
import type { Point, Rect, Size } from '../lib/viewport.js';

/** What one side shows: which model, at which noise level (undefined: the settings' default) and strength. */
export interface SideSettings {
  modelId: string;
  noiseLevel: NoiseLevel | undefined;
  strength: number;
}

export interface TilePair {
  original: ImageData;
  denoised: ImageData;
}

/** One grid tile of one side as drawn: its pixels once they are here, else a pending marker. */
export interface TileView {
  key: string;
  tile: GridTile;
  pair: TilePair | null;
  /** The engine is working on this one now. */
  running: boolean;
}

/** What one side draws: its overview (while the view is below 50 %) under the view's tiles. */
export interface LayerView {
  /** The whole photo reduced and denoised; null when not shown (zoomed in, small photo, not here yet). */
  overview: TilePair | null;
  tiles: TileView[];
}

/** Where the user looks: the visible image region, the divider's image column, and which sides show. */
export interface CompareViewport {
  region: Rect;
  dividerX: number;
  mode: 'split' | 'side';
  /** The zoom (CSS pixels per image pixel). */
  scale: number;
  /** The long side of the overview for this view; null: no overview (a photo that fits at 50 % or more). */
  overviewSide: number | null;
}

export type SideName = 'left' | 'right';
export type AnswerInfo = Omit<PreviewAnswer, 'original' | 'denoised' | 'region'>;

/** Enough for a 12-MP photo at two settings (2 × 96 MB) plus some panning around. */
const CACHE_BYTES = 256 * 1024 * 1024;

interface WantedTile {
  side: SideName;
  key: string;
  /** A full-size tile, or null for the side's overview. */
  tile: GridTile | null;
  /** What to ask the engine for: the tile's region, or the whole photo reduced. */
  view: PreviewView;
  settings: SideSettings;
  shown: boolean;
}

class CompareStore {
  path = $state<string | null>(null);
  src = $state<string | null>(null);
  size = $state<Size | null>(null);
  loadError = $state<string | null>(null);

  modelId = $state('');
  strength = $state(1);
  /**
   * 'auto' or a manual level once the user picks one; until then undefined, and the host applies the
   * settings' default. Unlike strength it changes what the network does, so it needs new tiles.
   */
  noiseLevel = $state<NoiseLevel | undefined>(undefined);
  /** The left side's settings when comparing two settings; null: the left side is the original. */
  compareWith = $state<SideSettings | null>(null);

  viewport = $state.raw<CompareViewport | null>(null);
  /** The image point under the pointer, if it is over the photo: tiles nearest it come first. */
  private focus: Point | null = null;
  /** The last answer for each side: model, runtime, time per tile, measured level, warnings. */
  answers = $state<Record<SideName, AnswerInfo | null>>({ left: null, right: null });
  error = $state<ApiError | null>(null);
  /** The cache key of the tile the engine is working on. */
  running = $state<string | null>(null);
  /** The Settings a tile's blanks stand for (see defaultsTag), part of every cache key. */
  private defaultsTag = $state('');
  /** Bumped whenever the cache changes: the cache itself is not reactive. */
  private version = $state(0);

  private modifiedMs = 0;
  private image: HTMLImageElement | null = null;
  private readonly cache = new ByteLru<TilePair>(
    CACHE_BYTES,
    (p) => p.original.data.byteLength + p.denoised.data.byteLength,
  );
  private queue: WantedTile[] = [];
  /** Keys that failed in this view: not asked for again until the view or the settings change. */
  private failed = new Set<string>();

  right = $derived<SideSettings>({ modelId: this.modelId, noiseLevel: this.noiseLevel, strength: this.strength });

  /** Every tile in view and the overview, per side (left is null while it shows the original). */
  layers = $derived.by((): Record<SideName, LayerView | null> => {
    void this.version;
    const v = this.viewport;
    const path = this.path;
    if (!v || !this.size || !path) return { left: null, right: null };
    const tiles = tilesInRegion(v.region, this.size);
    const layer = (settings: SideSettings): LayerView => {
      const overviewKey = this.overviewKey(settings);
      return {
        overview: overviewKey ? (this.cache.get(overviewKey) ?? null) : null,
        tiles: tiles.map((tile) => {
          const key = this.key(settings, tileKey(tile));
          return { key, tile, pair: this.cache.get(key) ?? null, running: this.running === key };
        }),
      };
    };
    return { left: this.compareWith ? layer(this.compareWith) : null, right: layer(this.right) };
  });

  /**
   * Full-size tiles in view the user can see that are denoised, of all such tiles; `preview`: some
   * of the rest shows the overview meanwhile, per side.
   */
  progress = $derived.by(() => {
    const wanted = this.wanted().filter((w) => w.shown && w.tile);
    void this.version;
    const done = wanted.filter((w) => this.cache.has(w.key)).length;
    const previewing = (side: SideName): boolean => {
      const layer = this.layers[side];
      return !!layer?.overview && wanted.some((w) => w.side === side && !this.cache.has(w.key));
    };
    return { done, total: wanted.length, preview: { left: previewing('left'), right: previewing('right') } };
  });

  async show(path: string, modifiedMs = 0): Promise<void> {
    if (path === this.path && this.modifiedMs === modifiedMs && this.image) return;
    this.path = path;
    this.modifiedMs = modifiedMs;
    this.answers = { left: null, right: null };
    this.error = null;
    this.loadError = null;
    this.size = null;
    this.image = null;
    this.viewport = null;
    this.queue = [];
    const src = originalImageUrl(path);
    this.src = src;
    try {
      const image = await loadImage(src);
      if (this.path !== path) return;
      this.image = image;
      this.size = { width: image.naturalWidth, height: image.naturalHeight };
    } catch (error) {
      if (this.path === path) this.loadError = error instanceof Error ? error.message : String(error);
    }
  }

  setModel(id: string): void {
    this.modelId = id;
    this.replan();
  }

  setNoiseLevel(level: NoiseLevel): void {
    if (level === this.noiseLevel) return;
    this.noiseLevel = level;
    this.replan();
  }

  /** Turns "Compare with" on (starting from the right side's settings) or off, or changes it. */
  setCompareWith(settings: SideSettings | null): void {
    this.compareWith = settings;
    this.replan();
  }

  /** Called as the view moves: the queue becomes the new view's missing tiles, in order. */
  setViewport(viewport: CompareViewport): void {
    const v = this.viewport;
    if (v && v.mode === viewport.mode && v.dividerX === viewport.dividerX && sameRect(v.region, viewport.region))
      return;
    this.viewport = viewport;
    this.replan();
  }

  /** The pointer is over the image point `point` (null: it left the photo); its tile is denoised first. */
  setFocus(point: Point | null): void {
    const tile = (p: Point | null): string =>
      p ? tileKey({ col: Math.floor(p.x / TILE_SIDE), row: Math.floor(p.y / TILE_SIDE) }) : '';
    const moved = tile(point) !== tile(this.focus);
    this.focus = point;
    // Only the order changes: tiles that failed in this view are not asked for again.
    if (moved) this.replan({ retryFailed: false });
  }

  /** Settings' defaults changed (or loaded): tiles made under others are not reused, the view is planned again. */
  setDefaults(settings: Settings): void {
    const tag = defaultsTag(settings);
    if (tag === this.defaultsTag) return;
    this.defaultsTag = tag;
    this.replan();
  }

  /** `part`: a tile's key, or the overview's size. */
  private key(settings: SideSettings, part: string): string {
    // '' model and undefined level stand for the settings' defaults, which the tag names.
    return [
      this.path,
      this.modifiedMs,
      settings.modelId || 'default',
      settings.noiseLevel ?? 'default',
      this.defaultsTag,
      part,
    ].join('|');
  }

  /** The long side of the overview when the view shows one (below 50 %, a big photo), else null. */
  private shownOverviewSide(): number | null {
    const v = this.viewport;
    return v?.overviewSide && v.scale < OVERVIEW_BELOW_SCALE ? v.overviewSide : null;
  }

  private overviewKey(settings: SideSettings, side = this.shownOverviewSide()): string | null {
    return side ? this.key(settings, `overview@${side}`) : null;
  }

  /** The tiles the view needs on each side that shows a denoised image, in the order to ask for them. */
  private wanted(): WantedTile[] {
    const v = this.viewport;
    if (!v || !this.size || !this.path) return [];
    const tiles = tilesInRegion(v.region, this.size);
    const items: (WantedTile & { tile: GridTile })[] = [];
    const sides: [SideName, SideSettings | null][] = [
      ['right', this.right],
      ['left', this.compareWith],
    ];
    const overviews: WantedTile[] = [];
    const overviewSide = this.shownOverviewSide();
    for (const [side, settings] of sides) {
      if (!settings) continue;
      const overview = this.overviewKey(settings, overviewSide);
      if (overview && overviewSide)
        overviews.push({ side, key: overview, tile: null, view: { maxSide: overviewSide }, settings, shown: true });
      for (const tile of tiles) {
        // In split mode a side shows only on its own side of the divider; the rest is still
        // denoised (the user may drag the divider), after what can be seen.
        const shown = v.mode === 'side' || (side === 'right' ? tile.x + tile.width > v.dividerX : tile.x < v.dividerX);
        items.push({ side, key: this.key(settings, tileKey(tile)), tile, view: { region: tile }, settings, shown });
      }
    }
    // The overviews first: one request each shows the whole view.
    return [...overviews, ...orderTiles(items, v.dividerX, v.region.y + v.region.height / 2, this.focus)];
  }

  private replan({ retryFailed = true } = {}): void {
    if (retryFailed) this.failed = new Set();
    this.queue = this.wanted().filter((w) => !this.cache.has(w.key));
    void this.pump();
  }

  private async pump(): Promise<void> {
    const path = this.path;
    if (this.running || !path || !this.image) return;
    const next = this.queue.find((w) => !this.cache.has(w.key) && !this.failed.has(w.key));
    if (!next) return;
    this.running = next.key;
    const result = await fetchPreview(path, next.view, next.settings.modelId, next.settings.noiseLevel);
    this.running = null;
    if (this.path === path) {
      if (result.ok) {
        const { original, denoised, region: _region, ...info } = result.value;
        this.cache.set(next.key, { original, denoised });
        // What a tile says (model, time a tile, the photo's measured level) stands for the side; an
        // overview's level is the reduced photo's, and its time is not a tile's.
        if (next.tile) this.answers[next.side] = info;
        this.error = null;
        this.version++;
      } else {
        this.failed.add(next.key);
        this.error = result.error;
      }
    }
    void this.pump();
  }
}

/**
 * What in Settings changes a preview tile when a side leaves it to the defaults: the default models,
 * the noise level, the engine (int8 or float, which provider) and the quality.
 */
export function defaultsTag(settings: Settings): string {
  return JSON.stringify([
    settings.defaultModelGrey,
    settings.defaultModelColour,
    settings.noiseLevel,
    settings.runtime,
    settings.quality,
  ]);
}

function sameRect(a: Rect, b: Rect): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}

export const compare = new CompareStore();
