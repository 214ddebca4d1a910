// Real camera noise for clean sRGB training patches, after "Unprocessing Images for Learned Raw
// Denoising" (Brooks et al., CVPR 2019) and CBDNet's noise model (Guo et al., CVPR 2019): the patch is
// taken back to a linear Bayer "raw" (inverse tone curve and gamma, inverse colour matrix, inverse
// white balance and digital gain, mosaic), shot + read noise is added there, and the camera's
// pipeline runs forward again (demosaic, white balance, colour matrix, gamma, tone curve). The noise
// that reaches the photo is therefore signal-dependent, spatially correlated by demosaicing, mixed
// across channels by the colour matrix and bent by the tone curve. JPEG compression is the last step
// (camera-noise-jpeg.ts, through sharp). Pure functions over HWC float arrays; randomness only from
// the SeededRandom passed in.
import { luma601 } from '../util/luma.js';
import type { SeededRandom } from '../util/rng.js';
import type { JpegOptions } from './jpeg-roundtrip.js';

/** Row-major 3×3 matrix. */
export type Mat3 = [number, number, number, number, number, number, number, number, number];

/** One simulated camera and exposure; everything a patch's noise depends on. */
export interface CameraParams {
  /** Camera RGB → linear sRGB (rows sum to 1, so white stays white). */
  camToRgb: Mat3;
  rgbToCam: Mat3;
  /** White-balance gains the camera applies to its red and blue pixels (green is 1). */
  redGain: number;
  blueGain: number;
  /** Digital gain (brightening) applied after the sensor: dark scenes pushed up are noisier. */
  digitalGain: number;
  /** Shot-noise variance per unit of signal and read-noise variance, in raw units (0..1). */
  shot: number;
  read: number;
  /** Which of the four RGGB phases the patch's top-left pixel sits on. */
  bayerPhase: 0 | 1 | 2 | 3;
  /**
   * The camera's own noise reduction before JPEG, as the std (pixels) of the smoothing applied to the
   * noise's luma and chroma (0: off). Cameras smooth chroma hardest, which leaves real high-ISO noise
   * blotchy rather than fine-grained.
   */
  lumaSmoothing: number;
  chromaSmoothing: number;
  /** JPEG quality of the camera's output, or undefined for a lossless (PNG/TIFF) output. */
  jpegQuality?: number;
  /** 4:2:0 chroma subsampling (most cameras and phones) or 4:4:4. */
  chroma420: boolean;
}

/**
 * The ranges parameters are drawn from. Shot noise log-uniform over what phones and full-frame
 * cameras give from ISO 100 to 12,800; read noise tied to it by the log-linear relation Brooks et
 * al. fitted across real sensors (log read = 2.18·log shot + 1.2, with scatter σ 0.26).
 */
export const CAMERA_RANGES = {
  shot: [1e-4, 0.016],
  readSlope: 2.18,
  readIntercept: 1.2,
  readScatter: 0.26,
  redGain: [1.9, 2.4],
  blueGain: [1.5, 1.9],
  digitalGain: [1, 1.5],
  /** How strongly the sensor's colours overlap: the colour matrix's diagonal. */
  ccmDiagonal: [1.2, 2.0],
  /** How often in-camera noise reduction is on, and how strong it is when on (Gaussian std, px). */
  noiseReductionProbability: 0.75,
  lumaSmoothing: [0, 1.2],
  chromaSmoothing: [0.5, 2.5],
  jpegProbability: 0.8,
  jpegQuality: [70, 98],
  chroma420Probability: 0.7,
} as const;

/** Ranges of the same shape as CAMERA_RANGES (the noise-map estimator draws from wider ones). */
export type CameraRanges = {
  readonly [K in keyof typeof CAMERA_RANGES]: (typeof CAMERA_RANGES)[K] extends number
    ? number
    : readonly [number, number];
};

/** A colour matrix whose rows sum to 1 with a diagonal `d` and negative off-diagonals sharing d − 1. */
export function randomCamToRgb(rng: SeededRandom, ranges: CameraRanges = CAMERA_RANGES): Mat3 {
  const m = new Array<number>(9).fill(0) as Mat3;
  for (let r = 0; r < 3; r++) {
    const d = rng.uniform(ranges.ccmDiagonal[0], ranges.ccmDiagonal[1]);
    const w = rng.uniform(0.2, 0.8);
    const [a, b] = [(r + 1) % 3, (r + 2) % 3];
    m[r * 3 + r] = d;
    m[r * 3 + a] = -(d - 1) * w;
    m[r * 3 + b] = -(d - 1) * (1 - w);
  }
  return m;
}

export function invert3(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-12) throw new RangeError('Colour matrix is singular');
  return [
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  ];
}

/** One camera drawn from `ranges` (the training recipe's by default; the same draws in the same order whatever the ranges). */
export function sampleCameraParams(rng: SeededRandom, ranges: CameraRanges = CAMERA_RANGES): CameraParams {
  const R = ranges;
  const camToRgb = randomCamToRgb(rng, R);
  const logShot = rng.uniform(Math.log(R.shot[0]), Math.log(R.shot[1]));
  const logRead = R.readSlope * logShot + R.readIntercept + R.readScatter * rng.normal();
  const nr = rng.next() < R.noiseReductionProbability;
  const lumaSmoothing = rng.uniform(R.lumaSmoothing[0], R.lumaSmoothing[1]);
  const chromaSmoothing = rng.uniform(R.chromaSmoothing[0], R.chromaSmoothing[1]);
  const jpeg = rng.next() < R.jpegProbability;
  const quality = Math.round(rng.uniform(R.jpegQuality[0], R.jpegQuality[1] + 1));
  return {
    camToRgb,
    rgbToCam: invert3(camToRgb),
    redGain: rng.uniform(R.redGain[0], R.redGain[1]),
    blueGain: rng.uniform(R.blueGain[0], R.blueGain[1]),
    digitalGain: rng.uniform(R.digitalGain[0], R.digitalGain[1]),
    shot: Math.exp(logShot),
    read: Math.exp(logRead),
    bayerPhase: rng.int(4) as 0 | 1 | 2 | 3,
    lumaSmoothing: nr ? lumaSmoothing : 0,
    chromaSmoothing: nr ? chromaSmoothing : 0,
    ...(jpeg ? { jpegQuality: Math.min(100, quality) } : {}),
    chroma420: rng.next() < R.chroma420Probability,
  };
}

// ---- tone curve and gamma ----------------------------------------------------------------------

/** The smoothstep tone curve cameras' S-curves are approximated by, and its inverse on 0..1. */
export const tone = (x: number): number => 3 * x * x - 2 * x * x * x;
export const toneInverse = (y: number): number => 0.5 - Math.sin(Math.asin(1 - 2 * Math.min(1, Math.max(0, y))) / 3);

/** The JPEG a drawn camera writes, or undefined for a lossless one. */
export function cameraJpeg(p: CameraParams): JpegOptions | undefined {
  return p.jpegQuality === undefined ? undefined : { quality: p.jpegQuality, chroma420: p.chroma420 };
}

/** sRGB transfer function (linear → encoded) and its inverse, exact piecewise forms. */
export const srgbEncode = (x: number): number =>
  x <= 0.0031308 ? 12.92 * x : 1.055 * Math.max(0, x) ** (1 / 2.4) - 0.055;
export const srgbDecode = (y: number): number => (y <= 0.04045 ? y / 12.92 : ((y + 0.055) / 1.055) ** 2.4);

// ---- Bayer mosaic ------------------------------------------------------------------------------

/** The colour (0 R, 1 G, 2 B) of an RGGB sensor's pixel at (x, y), shifted by `phase`. */
export function bayerColour(x: number, y: number, phase: number): number {
  const px = (x + (phase & 1)) & 1;
  const py = (y + ((phase >> 1) & 1)) & 1;
  return py === 0 ? (px === 0 ? 0 : 1) : px === 0 ? 1 : 2;
}

/** Linear camera RGB (HWC) → one raw value per pixel, the one the colour filter lets through. */
export function mosaic(rgb: Float32Array, width: number, height: number, phase: number): Float32Array {
  const raw = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) raw[y * width + x] = rgb[(y * width + x) * 3 + bayerColour(x, y, phase)]!;
  return raw;
}

const BILINEAR = Float64Array.of(1, 2, 1, 2, 4, 2, 1, 2, 1);

/**
 * Bilinear demosaicing: a pixel keeps its own colour and takes each missing one as the weighted mean
 * of the 3×3 neighbours that carry it (the cross for green, the two or four nearest for red and
 * blue). Neighbours past the border are left out of the mean. This is what correlates the noise of
 * neighbouring pixels.
 */
export function demosaicBilinear(raw: Float32Array, width: number, height: number, phase: number): Float32Array {
  const rgb = new Float32Array(width * height * 3);
  const sums = new Float64Array(3);
  const weights = new Float64Array(3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      sums.fill(0);
      weights.fill(0);
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const c = bayerColour(xx, yy, phase);
          const w = BILINEAR[(dy + 1) * 3 + dx + 1]!;
          sums[c] = sums[c]! + w * raw[yy * width + xx]!;
          weights[c] = weights[c]! + w;
        }
      }
      const o = (y * width + x) * 3;
      const own = bayerColour(x, y, phase);
      for (let c = 0; c < 3; c++) rgb[o + c] = c === own ? raw[y * width + x]! : sums[c]! / weights[c]!;
    }
  }
  return rgb;
}

// ---- the pipeline, both ways -------------------------------------------------------------------

function applyMatrix(m: Mat3, r: number, g: number, b: number, out: Float32Array, o: number): void {
  out[o] = m[0] * r + m[1] * g + m[2] * b;
  out[o + 1] = m[3] * r + m[4] * g + m[5] * b;
  out[o + 2] = m[6] * r + m[7] * g + m[8] * b;
}

/** sRGB patch (HWC, 3 channels, 0..1) → the linear Bayer raw a camera with `p` would have recorded. */
export function unprocess(srgb: Float32Array, width: number, height: number, p: CameraParams): Float32Array {
  const cam = new Float32Array(srgb.length);
  for (let i = 0; i < srgb.length; i += 3) {
    applyMatrix(
      p.rgbToCam,
      srgbDecode(toneInverse(srgb[i]!)),
      srgbDecode(toneInverse(srgb[i + 1]!)),
      srgbDecode(toneInverse(srgb[i + 2]!)),
      cam,
      i,
    );
    cam[i] = cam[i]! / (p.redGain * p.digitalGain);
    cam[i + 1] = cam[i + 1]! / p.digitalGain;
    cam[i + 2] = cam[i + 2]! / (p.blueGain * p.digitalGain);
  }
  for (let i = 0; i < cam.length; i++) cam[i] = Math.min(1, Math.max(0, cam[i]!));
  return mosaic(cam, width, height, p.bayerPhase);
}

/** Linear Bayer raw → sRGB (HWC, 0..1): demosaic, white balance and gain, colour matrix, gamma, tone curve. */
export function processRaw(raw: Float32Array, width: number, height: number, p: CameraParams): Float32Array {
  const cam = demosaicBilinear(raw, width, height, p.bayerPhase);
  const out = new Float32Array(cam.length);
  for (let i = 0; i < cam.length; i += 3) {
    const r = Math.min(1, cam[i]! * p.redGain * p.digitalGain);
    const g = Math.min(1, cam[i + 1]! * p.digitalGain);
    const b = Math.min(1, cam[i + 2]! * p.blueGain * p.digitalGain);
    applyMatrix(p.camToRgb, r, g, b, out, i);
    for (let k = 0; k < 3; k++) out[i + k] = tone(srgbEncode(Math.min(1, Math.max(0, out[i + k]!))));
  }
  return out;
}

/** Adds heteroscedastic Gaussian noise of variance shot·x + read (the Poisson–Gaussian model) to raw x. */
export function addShotReadNoise(raw: Float32Array, shot: number, read: number, rng: SeededRandom): Float32Array {
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const x = raw[i]!;
    out[i] = x + Math.sqrt(shot * Math.max(0, x) + read) * rng.normal();
  }
  return out;
}

/**
 * The clean patch plus the camera's noise as it reaches the photo, before JPEG: the difference
 * between the pipeline run on the noisy raw and on the clean raw is added to the clean patch, so the
 * target keeps its full detail (bilinear demosaicing of the clean raw would soften it) while the noise
 * has every property the pipeline gives it. Grey patches (1 channel) run as R = G = B and take the mean.
 */
export function cameraNoiseLinear(
  clean: Float32Array,
  width: number,
  height: number,
  channels: 1 | 3,
  p: CameraParams,
  rng: SeededRandom,
): Float32Array {
  const rgb =
    channels === 3 ? clean : Float32Array.from({ length: clean.length * 3 }, (_, i) => clean[Math.floor(i / 3)]!);
  const raw = unprocess(rgb, width, height, p);
  const base = processRaw(raw, width, height, p);
  const noisy = processRaw(addShotReadNoise(raw, p.shot, p.read, rng), width, height, p);
  for (let i = 0; i < noisy.length; i++) noisy[i] = noisy[i]! - base[i]!;
  const noise = smoothNoise(noisy, width, height, p.lumaSmoothing, p.chromaSmoothing);
  const out = new Float32Array(clean.length);
  for (let i = 0; i < clean.length; i++) {
    const d = channels === 3 ? noise[i]! : (noise[i * 3]! + noise[i * 3 + 1]! + noise[i * 3 + 2]!) / 3;
    out[i] = Math.min(1, Math.max(0, clean[i]! + d));
  }
  return out;
}

/**
 * In-camera noise reduction, applied to the noise alone (an ideal edge-preserving filter leaves the
 * scene's detail and smooths only the noise): the RGB noise is split into luma and two colour
 * differences (BT.601 YCbCr), each smoothed by its own Gaussian, and recombined.
 */
export function smoothNoise(
  noise: Float32Array,
  width: number,
  height: number,
  luma: number,
  chroma: number,
): Float32Array {
  if (luma <= 0 && chroma <= 0) return noise;
  const n = width * height;
  const y = new Float32Array(n);
  const cb = new Float32Array(n);
  const cr = new Float32Array(n);
  for (let p = 0; p < n; p++) {
    const r = noise[p * 3]!;
    const g = noise[p * 3 + 1]!;
    const b = noise[p * 3 + 2]!;
    y[p] = luma601(r, g, b);
    cb[p] = b - y[p]!;
    cr[p] = r - y[p]!;
  }
  const ys = blurPlane(y, width, height, luma);
  const cbs = blurPlane(cb, width, height, chroma);
  const crs = blurPlane(cr, width, height, chroma);
  const out = new Float32Array(noise.length);
  for (let p = 0; p < n; p++) {
    const r = crs[p]! + ys[p]!;
    const b = cbs[p]! + ys[p]!;
    out[p * 3] = r;
    out[p * 3 + 1] = (ys[p]! - 0.299 * r - 0.114 * b) / 0.587;
    out[p * 3 + 2] = b;
  }
  return out;
}

// ---- correlated Gaussian noise -----------------------------------------------------------------

/** Separable Gaussian blur kernel of std `s` (radius 3s, at least 1), normalised to sum 1. */
function gaussianKernel(s: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * s));
  const k = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += k[i + radius] = Math.exp(-(i * i) / (2 * s * s));
  for (let i = 0; i < k.length; i++) k[i] = k[i]! / sum;
  return k;
}

/** A plane (width × height) blurred by a separable Gaussian of std `s`, reflected at the borders. */
export function blurPlane(src: Float32Array, width: number, height: number, s: number): Float32Array {
  if (s <= 0) return src;
  const k = gaussianKernel(s);
  const r = (k.length - 1) / 2;
  const reflect = (i: number, n: number): number =>
    Math.min(n - 1, Math.max(0, i < 0 ? -i - 1 : i >= n ? 2 * n - i - 1 : i));
  // One reflected line at a time, so the inner loop has no bounds checks.
  const line = new Float32Array(Math.max(width, height) + 2 * r);
  const pass = (from: Float32Array, horizontal: boolean): Float32Array => {
    const dst = new Float32Array(from.length);
    const [n, lines] = horizontal ? [width, height] : [height, width];
    const stride = horizontal ? 1 : width;
    for (let l = 0; l < lines; l++) {
      const first = horizontal ? l * width : l;
      for (let i = -r; i < n + r; i++) line[i + r] = from[first + reflect(i, n) * stride]!;
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let j = 0; j < k.length; j++) sum += k[j]! * line[i + j]!;
        dst[first + i * stride] = sum;
      }
    }
    return dst;
  };
  return pass(pass(src, true), false);
}

/** White unit noise blurred by a Gaussian of std `blur` and rescaled to unit variance (one plane). */
export function correlatedField(width: number, height: number, blur: number, rng: SeededRandom): Float32Array {
  const white = Float32Array.from({ length: width * height }, () => rng.normal());
  if (blur <= 0) return white;
  const blurred = blurPlane(white, width, height, blur);
  const k = gaussianKernel(blur);
  const gain = 1 / k.reduce((sum, v) => sum + v * v, 0); // a separable blur leaves unit noise with variance (Σk²)²
  for (let i = 0; i < blurred.length; i++) blurred[i] = blurred[i]! * gain;
  return blurred;
}

/**
 * Spatially and channel-correlated Gaussian noise of std σ/255: each channel is √(1−ρ)·own + √ρ·shared
 * of blurred unit fields, so neighbouring pixels and the three channels are correlated (ρ between
 * channels) while every sample keeps variance σ². Clipped to 0..1.
 */
export function addCorrelatedGaussian(
  clean: Float32Array,
  width: number,
  height: number,
  channels: number,
  sigma: number,
  blur: number,
  rho: number,
  rng: SeededRandom,
): Float32Array {
  const shared = correlatedField(width, height, blur, rng);
  const own = Array.from({ length: channels }, () => correlatedField(width, height, blur, rng));
  const a = Math.sqrt(1 - rho);
  const b = Math.sqrt(rho);
  const std = sigma / 255;
  const out = new Float32Array(clean.length);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < channels; c++)
      out[p * channels + c] = Math.min(
        1,
        Math.max(0, clean[p * channels + c]! + std * (a * own[c]![p]! + b * shared[p]!)),
      );
  }
  return out;
}

/** Root-mean-square of noisy − clean on the 0–255 scale: the noise level a patch is labelled with. */
export function rmsNoiseLevel(noisy: Float32Array, clean: Float32Array): number {
  let s = 0;
  for (let i = 0; i < clean.length; i++) s += (noisy[i]! - clean[i]!) ** 2;
  return Math.sqrt(s / clean.length) * 255;
}
