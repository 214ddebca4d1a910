/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import {
  centreOn,
  clampPan,
  dividerToImageX,
  fit,
  fitScale,
  imageXToDivider,
  keepCentre,
  navigatorRect,
  pan,
  viewToImage,
  visibleRegion,
  zoomAt,
  zoomToPreset,
} from '../../../src-renderer/lib/viewport.js';

const image = { width: 4000, height: 3000 };
const view = { width: 1000, height: 600 };

describe('fit and clamp', () => {
  it('fits the whole image and centres it', () => {
    expect(fitScale(image, view)).toBeCloseTo(0.2);
    const t = fit(image, view);
    expect(t.offsetX).toBeCloseTo(100); // 800 px wide image in a 1000 px view
    expect(t.offsetY).toBeCloseTo(0);
  });
  it('never pans an image that covers the view past its edges', () => {
    const t = clampPan({ scale: 1, offsetX: 50, offsetY: -5000 }, image, view);
    expect(t.offsetX).toBe(0);
    expect(t.offsetY).toBe(600 - 3000);
    expect(pan(t, -1e6, 0, image, view).offsetX).toBe(1000 - 4000);
  });
});

describe('zoomAt', () => {
  it('keeps the image point under the cursor fixed', () => {
    const t0 = { scale: 1, offsetX: -1200, offsetY: -900 };
    const anchor = { x: 300, y: 200 };
    const before = viewToImage(t0, anchor);
    const t1 = zoomAt(t0, 2, anchor, image, view);
    expect(t1.scale).toBe(2);
    const after = viewToImage(t1, anchor);
    expect(after.x).toBeCloseTo(before.x, 9);
    expect(after.y).toBeCloseTo(before.y, 9);
  });
  it('clamps the scale to 32× and keeps the view covered', () => {
    const t = zoomAt(fit(image, view), 1000, { x: 0, y: 0 }, image, view);
    expect(t.scale).toBe(32);
    expect(t.offsetX).toBeLessThanOrEqual(0);
  });
  it('zooms presets about the view centre', () => {
    const t = zoomToPreset(fit(image, view), 1, image, view);
    const centre = viewToImage(t, { x: 500, y: 300 });
    expect(centre.x).toBeCloseTo(2000, 0);
    expect(centre.y).toBeCloseTo(1500, 0);
  });
});

describe('divider', () => {
  it('maps the divider to an image column and back', () => {
    const t = { scale: 2, offsetX: -400, offsetY: 0 };
    const x = dividerToImageX(t, 0.5, view);
    expect(x).toBe(450); // (500 + 400) / 2
    expect(imageXToDivider(t, x, view)).toBeCloseTo(0.5);
    expect(imageXToDivider(t, -1000, view)).toBe(0);
  });
});

describe('visible region and navigator', () => {
  it('is the image rectangle in view, in whole pixels', () => {
    const r = visibleRegion({ scale: 2, offsetX: -401, offsetY: -300 }, image, view);
    expect(r).toEqual({ x: 200, y: 150, width: 501, height: 300 });
  });
  it('is the whole image when fitted', () => {
    expect(visibleRegion(fit(image, view), image, view)).toEqual({ x: 0, y: 0, width: 4000, height: 3000 });
  });
  it('scales to the navigator', () => {
    expect(navigatorRect({ x: 1000, y: 750, width: 2000, height: 1500 }, image, { width: 200, height: 150 })).toEqual({
      x: 50,
      y: 37.5,
      width: 100,
      height: 75,
    });
  });
  it('centres the view on a navigator click', () => {
    const t = centreOn(
      { scale: 1, offsetX: 0, offsetY: 0 },
      { x: 100, y: 75 },
      image,
      { width: 200, height: 150 },
      view,
    );
    const centre = viewToImage(t, { x: 500, y: 300 });
    expect(centre).toEqual({ x: 2000, y: 1500 });
  });
});

describe('keepCentre', () => {
  it('keeps the zoom and the image point in the middle when the view halves (side by side)', () => {
    const zoomed = zoomAt(fit(image, view), 1, { x: 700, y: 200 }, image, view);
    const half = { width: view.width / 2, height: view.height };
    const kept = keepCentre(zoomed, image, view, half);
    expect(kept.scale).toBe(1);
    const middle = (t: typeof zoomed, v: typeof view) => viewToImage(t, { x: v.width / 2, y: v.height / 2 });
    expect(middle(kept, half)).toEqual(middle(zoomed, view));
  });
  it('still keeps the image over the view at an edge (back from side by side at the left edge)', () => {
    const half = { width: 500, height: 600 };
    const corner = clampPan({ scale: 1, offsetX: 0, offsetY: 0 }, image, half);
    expect(keepCentre(corner, image, half, view)).toEqual({ scale: 1, offsetX: 0, offsetY: 0 });
  });
});
