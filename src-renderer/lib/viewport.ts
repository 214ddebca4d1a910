// The Compare view's geometry, as pure functions. One transform maps image pixels to view (CSS)
// pixels for both layers: screen = image × scale + offset. Everything else — zoom about a point,
// pan limits, the divider, the region in view, the navigator — derives from it.
export interface Size {
  width: number;
  height: number;
}
export interface Point {
  x: number;
  y: number;
}
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Transform {
  scale: number;
  offsetX: number;
  offsetY: number;
}

export const MAX_SCALE = 32;

/** The scale that shows the whole image in the view. */
export function fitScale(image: Size, view: Size): number {
  if (image.width <= 0 || image.height <= 0 || view.width <= 0 || view.height <= 0) return 1;
  return Math.min(view.width / image.width, view.height / image.height);
}

export function minScale(image: Size, view: Size): number {
  return Math.min(1, fitScale(image, view)) / 2;
}

export function clampScale(scale: number, image: Size, view: Size): number {
  return Math.min(MAX_SCALE, Math.max(minScale(image, view), scale));
}

/**
 * Keeps the image on screen: along an axis where it is smaller than the view it is centred,
 * otherwise it must cover the view (no empty band at an edge).
 */
export function clampPan(t: Transform, image: Size, view: Size): Transform {
  const axis = (offset: number, imageSide: number, viewSide: number): number => {
    const side = imageSide * t.scale;
    if (side <= viewSide) return (viewSide - side) / 2;
    return Math.min(0, Math.max(viewSide - side, offset));
  };
  return {
    scale: t.scale,
    offsetX: axis(t.offsetX, image.width, view.width),
    offsetY: axis(t.offsetY, image.height, view.height),
  };
}

/** Centred at the given scale. */
export function centred(scale: number, image: Size, view: Size): Transform {
  return clampPan({ scale, offsetX: 0, offsetY: 0 }, image, view);
}

export function fit(image: Size, view: Size): Transform {
  return centred(fitScale(image, view), image, view);
}

/** The view changed size from `before` to `after` (a resize, side by side): same zoom, same point in the middle. */
export function keepCentre(t: Transform, image: Size, before: Size, after: Size): Transform {
  return clampPan(
    {
      scale: t.scale,
      offsetX: t.offsetX + (after.width - before.width) / 2,
      offsetY: t.offsetY + (after.height - before.height) / 2,
    },
    image,
    after,
  );
}

/** Zooms to `scale` keeping the image point under `anchor` (view coordinates) where it is. */
export function zoomAt(t: Transform, scale: number, anchor: Point, image: Size, view: Size): Transform {
  const next = clampScale(scale, image, view);
  const ix = (anchor.x - t.offsetX) / t.scale;
  const iy = (anchor.y - t.offsetY) / t.scale;
  return clampPan({ scale: next, offsetX: anchor.x - ix * next, offsetY: anchor.y - iy * next }, image, view);
}

/** Zoom to a preset (1 = 100%: one image pixel per CSS pixel) about the view's centre. */
export function zoomToPreset(t: Transform, scale: number, image: Size, view: Size): Transform {
  return zoomAt(t, scale, { x: view.width / 2, y: view.height / 2 }, image, view);
}

/** Wheel → zoom factor: smooth for trackpads, one notch ≈ 15%. */
export function wheelFactor(deltaY: number): number {
  return Math.exp(-deltaY * 0.0015);
}

export function pan(t: Transform, dx: number, dy: number, image: Size, view: Size): Transform {
  return clampPan({ scale: t.scale, offsetX: t.offsetX + dx, offsetY: t.offsetY + dy }, image, view);
}

export function viewToImage(t: Transform, p: Point): Point {
  return { x: (p.x - t.offsetX) / t.scale, y: (p.y - t.offsetY) / t.scale };
}

/** The divider at `fraction` (0..1 of the view's width) falls on this image column (may be outside the image). */
export function dividerToImageX(t: Transform, fraction: number, view: Size): number {
  return (fraction * view.width - t.offsetX) / t.scale;
}

/** The inverse: where image column `x` is, as a fraction of the view's width, clamped to 0..1. */
export function imageXToDivider(t: Transform, x: number, view: Size): number {
  if (view.width <= 0) return 0.5;
  return Math.min(1, Math.max(0, (x * t.scale + t.offsetX) / view.width));
}

/** The part of the image in view, in whole image pixels (empty when none is). */
export function visibleRegion(t: Transform, image: Size, view: Size): Rect {
  const x0 = Math.max(0, Math.floor(-t.offsetX / t.scale));
  const y0 = Math.max(0, Math.floor(-t.offsetY / t.scale));
  const x1 = Math.min(image.width, Math.ceil((view.width - t.offsetX) / t.scale));
  const y1 = Math.min(image.height, Math.ceil((view.height - t.offsetY) / t.scale));
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

/** The visible rectangle drawn on a navigator thumbnail of size `nav` showing the whole image. */
export function navigatorRect(visible: Rect, image: Size, nav: Size): Rect {
  const sx = nav.width / image.width;
  const sy = nav.height / image.height;
  return { x: visible.x * sx, y: visible.y * sy, width: visible.width * sx, height: visible.height * sy };
}

/** Clicking or dragging on the navigator centres the view on that image point. */
export function centreOn(t: Transform, navPoint: Point, image: Size, nav: Size, view: Size): Transform {
  const ix = (navPoint.x / nav.width) * image.width;
  const iy = (navPoint.y / nav.height) * image.height;
  return clampPan(
    { scale: t.scale, offsetX: view.width / 2 - ix * t.scale, offsetY: view.height / 2 - iy * t.scale },
    image,
    view,
  );
}
