// Blind estimate of an image's noise level (0..255 scale) for noise-level-conditioned models when
// the user leaves the level on Auto.
//
// The classic estimator (Donoho: the median of the finest diagonal wavelet band over 0.6745) sees
// white noise well but real camera noise hardly at all: demosaicing, in-camera noise reduction and
// JPEG move that noise to coarser scales, so it read ≈0.6 on real photos whose noise RMS is ≈4. Here
// the diagonal (HH) band is measured at two scales of an orthonormal Haar pyramid, where white noise
// of σ reads σ at both. Their ratio tells white noise (≈1; texture raises it a little) from
// correlated noise (4–30 on real photos; texture alone gives 1.3–3.5): white noise is reported as the fine band's figure, correlated
// noise as CORRELATED_GAIN × the coarse band's, with a linear blend in between. Blocks with clipped
// samples (pure black or white) are left out: clipping hides noise, and read 17–29 for a true 25.
import { colourChannels, type Pixels } from '../io/pixels.js';

/** Scales × bands (HH, HL, LH): the features, in this order. */
export const SCALES = 2;
export const FEATURE_COUNT = SCALES * 3;
const BLOCK = 2 ** SCALES;

/** The constants of Auto's rule (levelFromFeatures and the floor). */
export interface AutoRule {
  /** The level told to a noise-level model on correlated noise, per unit of the coarse band's σ. */
  gain: number;
  /** Fine/coarse ratios between which the estimate blends from white to correlated noise. */
  whiteRatio: number;
  correlatedRatio: number;
  /** The lowest level Auto tells a model (autoNoiseLevel). */
  floor: number;
}

/**
 * Auto's constants, fitted on synthetic data only by `npx tsx scripts/fit-auto-level.ts`
 * (bench/results/auto-fit-2026-12-08.json): 320 seeded 256² crops of training photos
 * (bsds-color-train), half as the photos hold them and half enlarged 1–4× (area-averaged 2× first,
 * then Lanczos) like the content of a full-resolution photo at 1:1, with the photo model's camera
 * noise (the recipe's cameras and wider ones: noise RMS 1.8–51 on 8-bit, chroma blotches, JPEG 4:2:0
 * and 4:4:4) or white / correlated Gaussian noise, each denoised by clearframe-photo int8 at 28
 * levels from 1 to 32. A grid search chose the constants that lose the least PSNR against each
 * crop's best level: 0.92 dB on average (1.02 in 5-fold cross-validation), where the constants
 * fitted on the photos' own content alone (gain 0.75, ratios 2.2 and 3, floor 3.5) lose 1.08 and the
 * ones before any fit (gain 1.5, ratios 2 and 4, floor 2, chosen on a benchmark) 1.27. Smooth
 * content wants a higher level for the same noise (less detail to lose to it), hence the gain
 * near 1; texture lifts the coarse band too, and telling the model too high a level costs more PSNR
 * than too low a one. Under the floor the finest bands sit at the 8-bit quantisation floor
 * (σ ≈ 0.29) and see nothing, which is also what in-camera noise reduction and JPEG leave of a
 * camera's noise. White noise keeps its reading (the fine band's σ).
 */
export const AUTO_RULE: AutoRule = { gain: 1.05, whiteRatio: 1.2, correlatedRatio: 4, floor: 3.5 };
export const CORRELATED_GAIN = AUTO_RULE.gain;

/** Robust σ (0..255) of each Haar detail band at each scale, from up to `maxBlocks` 4×4 blocks per channel. */
export function noiseFeatures(image: Pixels, maxBlocks = 100_000): number[] {
  const blocksX = Math.floor(image.width / BLOCK);
  const blocksY = Math.floor(image.height / BLOCK);
  const c = colourChannels(image.channels);
  const total = blocksX * blocksY * c;
  const bands: number[][] = Array.from({ length: FEATURE_COUNT }, () => []);
  if (total === 0) return new Array<number>(FEATURE_COUNT).fill(0);
  const step = Math.max(1, Math.floor(total / maxBlocks));
  const inv = 255 / image.scale;
  const block = new Float64Array(BLOCK * BLOCK);
  const collect = (skipClipped: boolean): void => {
    for (let b = 0; b < total; b += step) {
      const k = b % c;
      const index = Math.floor(b / c);
      const x0 = (index % blocksX) * BLOCK;
      const y0 = Math.floor(index / blocksX) * BLOCK;
      let clipped = false;
      for (let y = 0; y < BLOCK; y++) {
        for (let x = 0; x < BLOCK; x++) {
          const v = image.data[((y0 + y) * image.width + x0 + x) * image.channels + k]!;
          if (v <= 0 || v >= image.scale) clipped = true;
          block[y * BLOCK + x] = v * inv;
        }
      }
      if (skipClipped && clipped) continue;
      haarBands(block, bands);
    }
  };
  collect(true);
  if (bands[0]!.length === 0) collect(false); // an image that is all clipped: better some estimate than none
  // Band coefficients of integer samples are multiples of half a level at the finest scale, and halve at each coarser one.
  const level = image.data instanceof Float32Array ? 0 : 255 / image.scale;
  return bands.map((values, i) => robustSigma(values, level / 2 ** (Math.floor(i / 3) + 1)));
}

/** Appends one block's |detail coefficients| per band and scale; the block is overwritten with its LL. */
function haarBands(block: Float64Array, bands: number[][]): void {
  let side = BLOCK;
  for (let s = 0; s < SCALES; s++) {
    const half = side / 2;
    for (let y = 0; y < half; y++) {
      for (let x = 0; x < half; x++) {
        const a = block[2 * y * BLOCK + 2 * x]!;
        const b = block[2 * y * BLOCK + 2 * x + 1]!;
        const c = block[(2 * y + 1) * BLOCK + 2 * x]!;
        const d = block[(2 * y + 1) * BLOCK + 2 * x + 1]!;
        bands[s * 3]!.push(Math.abs(a - b - c + d) / 2);
        bands[s * 3 + 1]!.push(Math.abs(a - b + c - d) / 2);
        bands[s * 3 + 2]!.push(Math.abs(a + b - c - d) / 2);
        // In place: (y, x) was already read, as a source of the pair (⌊y/2⌋, ⌊x/2⌋), which comes first.
        block[y * BLOCK + x] = (a + b + c + d) / 2;
      }
    }
    side = half;
  }
}

/**
 * median(|coefficients|) / 0.6745, the median interpolated within its quantisation step: 8-bit
 * samples make band coefficients multiples of a step (½ level at the finest scale, ¼ at the next),
 * and at the low noise of real photos a plain median would jump between 0, 0.74, 1.48…
 */
function robustSigma(values: number[], step: number): number {
  const n = values.length;
  if (n === 0) return 0;
  values.sort((a, b) => a - b);
  const median = values[Math.floor(n / 2)]!;
  if (step <= 0) return median / 0.6745;
  let below = 0;
  while (below < n && values[below]! < median - step / 4) below++;
  let equal = below;
  while (equal < n && values[equal]! <= median + step / 4) equal++;
  const count = equal - below;
  // |x| of a multiple of `step`: the group at 0 holds [0, step/2), the group at k·step [k·step − step/2, k·step + step/2).
  const lower = median < step / 4 ? 0 : median - step / 2;
  const width = median < step / 4 ? step / 2 : step;
  return (lower + ((n / 2 - below) / count) * width) / 0.6745;
}

/** The level from the band figures: the fine band for white noise, the scaled coarse band for correlated. */
export function levelFromFeatures(features: readonly number[], rule: Omit<AutoRule, 'floor'> = AUTO_RULE): number {
  const fine = features[0]!;
  const coarse = features[3]!;
  const ratio = coarse / Math.max(fine, 0.05);
  const w = Math.min(1, Math.max(0, (ratio - rule.whiteRatio) / (rule.correlatedRatio - rule.whiteRatio)));
  return Math.min(75, (1 - w) * fine + w * rule.gain * coarse);
}

/** The measured noise level (0..255); `gain` other than the app's for bench:real. */
export function estimateNoiseSigma(image: Pixels, gain = CORRELATED_GAIN): number {
  return levelFromFeatures(noiseFeatures(image), { ...AUTO_RULE, gain });
}

/** AUTO_RULE's floor (see AUTO_RULE). */
export const AUTO_LEVEL_FLOOR = AUTO_RULE.floor;

/** The level the app feeds noise-level models on Auto: the measured one, never under `floor` (a model's own, else AUTO_LEVEL_FLOOR). */
export function autoNoiseLevel(image: Pixels, gain = CORRELATED_GAIN, floor = AUTO_LEVEL_FLOOR): number {
  return Math.max(floor, estimateNoiseSigma(image, gain));
}
