// Image quality metrics on the 0..1 scale (PSNR is therefore the same as on 0..255 with peak 255).
// SSIM follows Wang et al. 2004 as skimage computes it with gaussian_weights=True: an 11×11 Gaussian
// window (σ 1.5), K1 0.01, K2 0.03, population (not sample) covariances, and the mean taken only
// where the window fits inside the image (skimage crops (win-1)/2 pixels on each side).
import type { Raster } from '../io/raster.js';

const SSIM_RADIUS = 5;
const SSIM_SIGMA = 1.5;
const K1 = 0.01;
const K2 = 0.03;

function assertSameShape(a: Raster, b: Raster): void {
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) {
    throw new Error(
      `Images differ in shape: ${a.width}×${a.height}×${a.channels} vs ${b.width}×${b.height}×${b.channels}`,
    );
  }
}

export function meanSquaredError(a: Raster, b: Raster): number {
  assertSameShape(a, b);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = a.data[i]! - b.data[i]!;
    sum += d * d;
  }
  return sum / a.data.length;
}

/** PSNR in dB for data in 0..`peak`; Infinity for identical images. */
export function psnr(a: Raster, b: Raster, peak = 1): number {
  const mse = meanSquaredError(a, b);
  return mse === 0 ? Infinity : 10 * Math.log10((peak * peak) / mse);
}

/** The normalised 1-D Gaussian whose outer product is the SSIM window. */
export function gaussianKernel1d(radius = SSIM_RADIUS, sigma = SSIM_SIGMA): Float64Array {
  const k = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    k[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  return k;
}

/** 'Valid' separable filtering of a plane: output is (w-2r)×(h-2r). */
function filterValid(plane: Float64Array, w: number, h: number, k: Float64Array): Float64Array {
  const r = (k.length - 1) / 2;
  const ow = w - 2 * r;
  const oh = h - 2 * r;
  const rows = new Float64Array(ow * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let i = 0; i < k.length; i++) s += k[i]! * plane[y * w + x + i]!;
      rows[y * ow + x] = s;
    }
  }
  const out = new Float64Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let i = 0; i < k.length; i++) s += k[i]! * rows[(y + i) * ow + x]!;
      out[y * ow + x] = s;
    }
  }
  return out;
}

/** Mean SSIM of one channel plane pair. */
function ssimPlane(x: Float64Array, y: Float64Array, w: number, h: number, dataRange: number): number {
  const k = gaussianKernel1d();
  const n = w * h;
  const xx = new Float64Array(n);
  const yy = new Float64Array(n);
  const xy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xx[i] = x[i]! * x[i]!;
    yy[i] = y[i]! * y[i]!;
    xy[i] = x[i]! * y[i]!;
  }
  const mx = filterValid(x, w, h, k);
  const my = filterValid(y, w, h, k);
  const mxx = filterValid(xx, w, h, k);
  const myy = filterValid(yy, w, h, k);
  const mxy = filterValid(xy, w, h, k);
  const c1 = (K1 * dataRange) ** 2;
  const c2 = (K2 * dataRange) ** 2;
  let sum = 0;
  for (let i = 0; i < mx.length; i++) {
    const ux = mx[i]!;
    const uy = my[i]!;
    const vx = mxx[i]! - ux * ux;
    const vy = myy[i]! - uy * uy;
    const cxy = mxy[i]! - ux * uy;
    sum += ((2 * ux * uy + c1) * (2 * cxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
  }
  return sum / mx.length;
}

/** Mean SSIM over all channels (as skimage's channel_axis does). Images must be at least 11×11. */
export function ssim(a: Raster, b: Raster, dataRange = 1): number {
  assertSameShape(a, b);
  const size = 2 * SSIM_RADIUS + 1;
  if (a.width < size || a.height < size)
    throw new Error(`SSIM needs images of at least ${size}×${size}, got ${a.width}×${a.height}`);
  const n = a.width * a.height;
  let total = 0;
  for (let c = 0; c < a.channels; c++) {
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = a.data[i * a.channels + c]!;
      y[i] = b.data[i * a.channels + c]!;
    }
    total += ssimPlane(x, y, a.width, a.height, dataRange);
  }
  return total / a.channels;
}
