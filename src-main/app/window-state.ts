// Remembered window bounds, made safe to reuse: a window saved on a monitor that is gone, or
// larger than the screen it lands on, must still open fully visible. Pure maths over rectangles
// so it is tested without Electron.
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SavedWindowState {
  bounds: Rect;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 820 } as const;
export const MIN_SIZE = { width: 720, height: 480 } as const;
/** At least this much of the title bar must be on a screen for the saved position to count. */
const MIN_VISIBLE = { width: 120, height: 40 } as const;

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

function centred(size: { width: number; height: number }, area: Rect): Rect {
  const width = Math.min(size.width, area.width);
  const height = Math.min(size.height, area.height);
  return {
    x: Math.round(area.x + (area.width - width) / 2),
    y: Math.round(area.y + (area.height - height) / 2),
    width,
    height,
  };
}

/**
 * The bounds to open the window with. `workAreas` are the displays' usable areas, the primary first.
 * A saved window mostly off-screen is centred on the primary display at its saved size (capped).
 */
export function restoreBounds(saved: Rect | undefined, workAreas: readonly Rect[]): Rect {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  if (!saved || !Number.isFinite(saved.x + saved.y + saved.width + saved.height)) return centred(DEFAULT_SIZE, primary);
  const size = { width: Math.max(MIN_SIZE.width, saved.width), height: Math.max(MIN_SIZE.height, saved.height) };
  const titleBar: Rect = { x: saved.x, y: saved.y, width: size.width, height: MIN_VISIBLE.height };
  const home = workAreas.find((area) => {
    const seen = overlap(titleBar, area);
    return seen.width >= MIN_VISIBLE.width && seen.height >= MIN_VISIBLE.height / 2;
  });
  if (!home) return centred(size, primary);
  const width = Math.min(size.width, home.width);
  const height = Math.min(size.height, home.height);
  return {
    x: Math.min(Math.max(saved.x, home.x), home.x + home.width - width),
    y: Math.min(Math.max(saved.y, home.y), home.y + home.height - height),
    width,
    height,
  };
}

export function parseSavedWindowState(value: unknown): SavedWindowState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { bounds, maximized } = value as { bounds?: Partial<Rect>; maximized?: unknown };
  if (!bounds) return undefined;
  const numbers = [bounds.x, bounds.y, bounds.width, bounds.height];
  if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  return { bounds: bounds as Rect, maximized: maximized === true };
}
