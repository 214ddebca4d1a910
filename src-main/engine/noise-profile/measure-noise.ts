// A camera's noise, measured where it can be seen: the residual of a noisy photo against a reference
// (the current model's output on the user's photos; the clean image itself in the tests), restricted
// to the reference's flat blocks, where the residual is noise and not detail the reference lost.
// From those blocks: the noise-level function (RMS against brightness, per channel, and over the
// channels against the pixel's luma, the brightness a fitted recipe's level gains go by), the residual's
// autocorrelation for luma and chroma (demosaicing and in-camera smoothing make real noise blotchy),
// and the chroma-to-luma ratio. Sums accumulate over any number of photos, so a folder is measured
// photo by photo and summarised once. Pure functions over HWC RGB float arrays on 0..1.
import { NOISE_LEVEL_BINS } from '../../../src-shared/schemas/train.js';
import { luma601 } from '../util/luma.js';

/** Side of the square blocks a photo is cut into; a block is measured whole or not at all. */
export const BLOCK = 16;
/** Brightness bins of the noise-level function, over 0–255 (the bins a recipe's levelGains follow). */
export const LEVEL_BINS = NOISE_LEVEL_BINS;
/** Lags (dx, dy) of the autocorrelation: right, down, diagonal, two to the right, two down. */
export const LAGS: ReadonlyArray<readonly [number, number]> = [
  [1, 0],
  [0, 1],
  [1, 1],
  [2, 0],
  [0, 2],
];
/**
 * A block is flat when its reference's mean absolute step between neighbours (0–255) is below this:
 * a smooth gradient passes, an edge or texture does not. When too few blocks pass, the flattest
 * MIN_FLAT_FRACTION are taken instead.
 */
export const FLAT_STEP = 1.5;
export const MIN_FLAT_FRACTION = 0.1;

/** Running sums over flat blocks; add photos with `accumulateNoise`, read with `summariseNoise`. */
export interface NoiseSums {
  /** Σ residual² and counts per channel (R, G, B) and brightness bin: [channel][bin]. */
  squares: number[][];
  counts: number[][];
  /** Σ of the pixel's mean residual² over R, G, B, and pixels, per bin of the reference's luma. */
  lumaBinSquares: number[];
  lumaBinCounts: number[];
  /** Σ y(p)·y(p+lag) for luma and (Cb·Cb + Cr·Cr) for chroma, per lag; Σ over pairs counted in `pairs`. */
  lumaProducts: number[];
  chromaProducts: number[];
  pairs: number[];
  /** Σ y², Σ (Cb² + Cr²)/2 and samples, over all flat-block pixels. */
  lumaSquares: number;
  chromaSquares: number;
  samples: number;
  blocks: number;
  blocksSeen: number;
}

export function emptyNoiseSums(): NoiseSums {
  const grid = (): number[][] => Array.from({ length: 3 }, () => new Array<number>(LEVEL_BINS).fill(0));
  return {
    squares: grid(),
    counts: grid(),
    lumaBinSquares: new Array<number>(LEVEL_BINS).fill(0),
    lumaBinCounts: new Array<number>(LEVEL_BINS).fill(0),
    lumaProducts: new Array<number>(LAGS.length).fill(0),
    chromaProducts: new Array<number>(LAGS.length).fill(0),
    pairs: new Array<number>(LAGS.length).fill(0),
    lumaSquares: 0,
    chromaSquares: 0,
    samples: 0,
    blocks: 0,
    blocksSeen: 0,
  };
}

/** One point of the noise-level function: the RMS noise (0–255) of each channel at a brightness. */
export interface NoiseLevelPoint {
  /** The bin's centre brightness, 0–255. */
  level: number;
  rms: [number, number, number];
  /** Samples behind each channel's figure. */
  counts: [number, number, number];
}

export interface NoiseStats {
  /** Bins with at least MIN_BIN_SAMPLES samples in every channel, darkest first. */
  curve: NoiseLevelPoint[];
  /**
   * The noise RMS over R, G and B per bin of the pixel's luma (BT.601): the brightness a recipe's
   * level gains go by. Bins with at least MIN_BIN_SAMPLES / 3 pixels, darkest first.
   */
  lumaCurve: Array<{ level: number; rms: number; pixels: number }>;
  /** RMS noise over all flat blocks, 0–255, per channel and overall. */
  rms: [number, number, number];
  overallRms: number;
  /** Normalised autocorrelation at LAGS: luma (BT.601 Y) and chroma (B − Y, R − Y). */
  lumaCorrelation: number[];
  chromaCorrelation: number[];
  /** RMS of the colour differences over RMS of luma (≈1.52 for independent white noise in R, G, B). */
  chromaToLuma: number;
  /** Flat blocks measured, and blocks looked at. */
  blocks: number;
  blocksSeen: number;
}

export const MIN_BIN_SAMPLES = 2000;

/** Mean absolute step between neighbouring luma samples of the reference in one block, on 0–255. */
function blockStep(reference: Float32Array, width: number, x0: number, y0: number): number {
  let sum = 0;
  let n = 0;
  const y = (x: number, yy: number): number => {
    const o = (yy * width + x) * 3;
    return luma601(reference[o]!, reference[o + 1]!, reference[o + 2]!);
  };
  for (let yy = y0; yy < y0 + BLOCK; yy++) {
    for (let x = x0; x < x0 + BLOCK; x++) {
      const here = y(x, yy);
      if (x + 1 < x0 + BLOCK) {
        sum += Math.abs(y(x + 1, yy) - here);
        n++;
      }
      if (yy + 1 < y0 + BLOCK) {
        sum += Math.abs(y(x, yy + 1) - here);
        n++;
      }
    }
  }
  return (sum / n) * 255;
}

/** Top-left corners of the reference's flat blocks (see FLAT_STEP), and how many blocks there were. */
export function flatBlocks(
  reference: Float32Array,
  width: number,
  height: number,
): { corners: Array<[number, number]>; seen: number } {
  const all: Array<{ x: number; y: number; step: number }> = [];
  for (let y = 0; y + BLOCK <= height; y += BLOCK)
    for (let x = 0; x + BLOCK <= width; x += BLOCK) all.push({ x, y, step: blockStep(reference, width, x, y) });
  const flat = all.filter((b) => b.step < FLAT_STEP);
  const wanted = Math.ceil(all.length * MIN_FLAT_FRACTION);
  const chosen = flat.length >= wanted ? flat : [...all].sort((a, b) => a.step - b.step).slice(0, wanted);
  return { corners: chosen.map((b) => [b.x, b.y]), seen: all.length };
}

/**
 * Adds one photo's flat blocks to `sums`: noisy and reference are HWC RGB on 0..1 of the same size.
 * Each block's residual has its own mean taken out per channel (a reference a shade off in a block
 * is not noise). Samples at 0 or 1 in the noisy photo are clipped and left out of the curve.
 */
export function accumulateNoise(
  sums: NoiseSums,
  noisy: Float32Array,
  reference: Float32Array,
  width: number,
  height: number,
): NoiseSums {
  const { corners, seen } = flatBlocks(reference, width, height);
  sums.blocksSeen += seen;
  const n = BLOCK * BLOCK;
  const res = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const luma = new Float64Array(n);
  const cb = new Float64Array(n);
  const cr = new Float64Array(n);
  for (const [x0, y0] of corners) {
    for (let c = 0; c < 3; c++) {
      let mean = 0;
      for (let i = 0; i < n; i++) {
        const o = ((y0 + Math.floor(i / BLOCK)) * width + x0 + (i % BLOCK)) * 3 + c;
        res[c]![i] = (noisy[o]! - reference[o]!) * 255;
        mean += res[c]![i]!;
      }
      mean /= n;
      for (let i = 0; i < n; i++) res[c]![i] = res[c]![i]! - mean;
    }
    for (let i = 0; i < n; i++) {
      const o = ((y0 + Math.floor(i / BLOCK)) * width + x0 + (i % BLOCK)) * 3;
      let clipped = false;
      for (let c = 0; c < 3; c++) {
        const v = noisy[o + c]!;
        if (v <= 0 || v >= 1) {
          clipped = true;
          continue;
        }
        const bin = Math.min(LEVEL_BINS - 1, Math.max(0, Math.floor(reference[o + c]! * LEVEL_BINS)));
        sums.squares[c]![bin] = sums.squares[c]![bin]! + res[c]![i]! ** 2;
        sums.counts[c]![bin] = sums.counts[c]![bin]! + 1;
      }
      if (!clipped) {
        const y = luma601(reference[o]!, reference[o + 1]!, reference[o + 2]!);
        const bin = Math.min(LEVEL_BINS - 1, Math.max(0, Math.floor(y * LEVEL_BINS)));
        sums.lumaBinSquares[bin] =
          sums.lumaBinSquares[bin]! + (res[0]![i]! ** 2 + res[1]![i]! ** 2 + res[2]![i]! ** 2) / 3;
        sums.lumaBinCounts[bin] = sums.lumaBinCounts[bin]! + 1;
      }
      luma[i] = luma601(res[0]![i]!, res[1]![i]!, res[2]![i]!);
      cb[i] = res[2]![i]! - luma[i]!;
      cr[i] = res[0]![i]! - luma[i]!;
      sums.lumaSquares += luma[i]! ** 2;
      sums.chromaSquares += (cb[i]! ** 2 + cr[i]! ** 2) / 2;
      sums.samples += 1;
    }
    LAGS.forEach(([dx, dy], k) => {
      for (let y = 0; y + dy < BLOCK; y++) {
        for (let x = 0; x + dx < BLOCK; x++) {
          const a = y * BLOCK + x;
          const b = (y + dy) * BLOCK + x + dx;
          sums.lumaProducts[k] = sums.lumaProducts[k]! + luma[a]! * luma[b]!;
          sums.chromaProducts[k] = sums.chromaProducts[k]! + (cb[a]! * cb[b]! + cr[a]! * cr[b]!) / 2;
          sums.pairs[k] = sums.pairs[k]! + 1;
        }
      }
    });
    sums.blocks += 1;
  }
  return sums;
}

/**
 * The statistics the sums hold. Block means were taken out, so the curve's variances are scaled back
 * by n/(n−1); correlations are left as measured (white noise reads −1/(n−1) ≈ −0.004).
 */
export function summariseNoise(sums: NoiseSums): NoiseStats {
  const n = BLOCK * BLOCK;
  const unbias = n / (n - 1);
  const curve: NoiseLevelPoint[] = [];
  for (let bin = 0; bin < LEVEL_BINS; bin++) {
    const counts = [0, 1, 2].map((c) => sums.counts[c]![bin]!) as [number, number, number];
    if (Math.min(...counts) < MIN_BIN_SAMPLES) continue;
    const rms = [0, 1, 2].map((c) => Math.sqrt((sums.squares[c]![bin]! / counts[c]!) * unbias)) as [
      number,
      number,
      number,
    ];
    curve.push({ level: ((bin + 0.5) * 255) / LEVEL_BINS, rms, counts });
  }
  const channelRms = [0, 1, 2].map((c) => {
    const total = sums.counts[c]!.reduce((a, b) => a + b, 0);
    return total ? Math.sqrt((sums.squares[c]!.reduce((a, b) => a + b, 0) / total) * unbias) : 0;
  }) as [number, number, number];
  const lumaVar = sums.samples ? sums.lumaSquares / sums.samples : 0;
  const chromaVar = sums.samples ? sums.chromaSquares / sums.samples : 0;
  const correlation = (products: number[], variance: number): number[] =>
    products.map((p, k) => (variance > 0 && sums.pairs[k]! > 0 ? p / sums.pairs[k]! / variance : 0));
  const lumaCurve = sums.lumaBinCounts.flatMap((pixels, bin) =>
    pixels >= MIN_BIN_SAMPLES / 3
      ? [
          {
            level: ((bin + 0.5) * 255) / LEVEL_BINS,
            rms: Math.sqrt((sums.lumaBinSquares[bin]! / pixels) * unbias),
            pixels,
          },
        ]
      : [],
  );
  return {
    curve,
    lumaCurve,
    rms: channelRms,
    overallRms: Math.sqrt(channelRms.reduce((a, r) => a + r * r, 0) / 3),
    lumaCorrelation: correlation(sums.lumaProducts, lumaVar),
    chromaCorrelation: correlation(sums.chromaProducts, chromaVar),
    chromaToLuma: lumaVar > 0 ? Math.sqrt(chromaVar / lumaVar) : 0,
    blocks: sums.blocks,
    blocksSeen: sums.blocksSeen,
  };
}

/** Measures one photo against its reference. */
export function measureNoise(noisy: Float32Array, reference: Float32Array, width: number, height: number): NoiseStats {
  return summariseNoise(accumulateNoise(emptyNoiseSums(), noisy, reference, width, height));
}
