// Fits the camera-profile recipe (schemas/train.ts) to a measured profile: clean crops get simulated
// camera noise (train/camera-profile-noise.ts) with candidate settings, the same measurement runs on
// them against the same reference (so the reference's own bias cancels), and a coordinate search
// moves shot and read noise and the luma and chroma smoothing until the two measurements agree.
// JPEG quality and subsampling are read from the photos, not searched. The noise is seeded per crop,
// so every candidate sees the same draws and the distance moves only with the settings.
import type { CameraProfileNoise } from '../../../src-shared/schemas/train.js';
import { addProfiledCameraNoise } from '../train/camera-profile-noise.js';
import { SeededRandom } from '../util/rng.js';
import { accumulateNoise, emptyNoiseSums, LEVEL_BINS, summariseNoise, type NoiseStats } from './measure-noise.js';
import type { CameraProfile, NoiseReference } from './profile-folder.js';

export interface CleanCrop {
  data: Float32Array;
  width: number;
  height: number;
}

/** How far a synthetic measurement is from the profile's: RMS of log-ratios and of correlation differences. */
export interface NoiseDistance {
  total: number;
  /** RMS of ln(synthetic / real) over the level function's bins and channels both have. */
  curve: number;
  /** RMS difference of the luma and chroma autocorrelations. */
  correlation: number;
  /** |ln| of the chroma-to-luma ratios' quotient. */
  chromaToLuma: number;
}

export function noiseDistance(target: NoiseStats, measured: NoiseStats): NoiseDistance {
  const logs: number[] = [];
  for (const point of target.curve) {
    const other = measured.curve.find((p) => p.level === point.level);
    if (other) point.rms.forEach((r, c) => logs.push(Math.log(other.rms[c]! / r)));
  }
  if (logs.length === 0) target.rms.forEach((r, c) => logs.push(Math.log(measured.rms[c]! / r)));
  const rms = (values: number[]): number => Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
  const curve = rms(logs);
  const correlation = rms([
    ...target.lumaCorrelation.map((v, k) => v - measured.lumaCorrelation[k]!),
    ...target.chromaCorrelation.map((v, k) => v - measured.chromaCorrelation[k]!),
  ]);
  const chromaToLuma = Math.abs(Math.log(measured.chromaToLuma / target.chromaToLuma));
  return { total: Math.sqrt(curve ** 2 + correlation ** 2 + chromaToLuma ** 2), curve, correlation, chromaToLuma };
}

/** The measurement of `recipe`'s noise on the crops, against the reference. */
export async function measureSynthetic(
  recipe: CameraProfileNoise,
  crops: CleanCrop[],
  reference: NoiseReference,
  seed: number,
): Promise<NoiseStats> {
  const sums = emptyNoiseSums();
  for (const [i, crop] of crops.entries()) {
    const noisy = await addProfiledCameraNoise(
      crop.data,
      { width: crop.width, height: crop.height, channels: 3 },
      recipe,
      new SeededRandom(seed + i),
    );
    accumulateNoise(sums, noisy, await reference(noisy, crop.width, crop.height), crop.width, crop.height);
  }
  return summariseNoise(sums);
}

/** A measurement's noise RMS per bin of luma (NoiseStats.lumaCurve), undefined where it has too few pixels. */
function lumaBins(stats: NoiseStats): Array<number | undefined> {
  const bins = new Array<number | undefined>(LEVEL_BINS).fill(undefined);
  for (const p of stats.lumaCurve) bins[Math.floor((p.level / 255) * LEVEL_BINS)] = p.rms;
  return bins;
}

/** RMS of ln(synthetic / profile) over the bins both measured (0 where none). */
function levelCurveDistance(target: Array<number | undefined>, synthetic: Array<number | undefined>): number {
  const logs = target.flatMap((t, bin) => (t && synthetic[bin] ? [Math.log(synthetic[bin] / t)] : []));
  return logs.length ? Math.sqrt(logs.reduce((a, v) => a + v * v, 0) / logs.length) : 0;
}

/**
 * One correction of the level gains: each bin the profile and the synthetic noise both measured is
 * multiplied by their ratio; a bin the profile has no figure for takes its nearest measured
 * neighbour's gain (the profile's darkest and brightest bins are often too sparse).
 */
export function correctedLevelGains(
  gains: readonly number[],
  target: Array<number | undefined>,
  synthetic: Array<number | undefined>,
): number[] {
  const next = gains.map((g, bin) => {
    const t = target[bin];
    const s = synthetic[bin];
    return t && s ? Math.min(20, Math.max(0.05, (g * t) / s)) : undefined;
  });
  const known = next.flatMap((g, bin) => (g === undefined ? [] : [bin]));
  if (known.length === 0) return [...gains];
  return next.map((g, bin) => g ?? next[known.reduce((a, k) => (Math.abs(k - bin) < Math.abs(a - bin) ? k : a))]!);
}

/** Rounds of level-gain correction a fit makes. */
export const GAIN_ROUNDS = 3;

/**
 * Grey ramps for the level gains: dark to bright (0.02–0.98) across the crop, in three directions, so
 * every brightness bin is filled (the scenes of smoothScenes rarely reach the darkest and brightest
 * bins, where cameras' curves and the pipeline's differ most), every block stays flat, and a pixel's
 * channels share its luma, the brightness the gains go by.
 */
export function rampScenes(side: number): CleanCrop[] {
  const directions: Array<(u: number, v: number) => number> = [(u) => u, (_, v) => v, (u, v) => (u + 1 - v) / 2];
  return directions.map((along) => {
    const data = new Float32Array(side * side * 3);
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++)
        data.fill(0.02 + 0.96 * along(x / (side - 1), y / (side - 1)), (y * side + x) * 3, (y * side + x) * 3 + 3);
    return { data, width: side, height: side };
  });
}

/** The variance spread a camera's ISOs ask for: √(highest / lowest ISO), at least 1.25. */
export function isoSpread(isos: number[]): number {
  if (isos.length < 2) return 1.25;
  return Math.max(1.25, Math.sqrt(isos[isos.length - 1]! / isos[0]!));
}

export interface FitOptions {
  crops: CleanCrop[];
  reference: NoiseReference;
  seed?: number;
  /** Coordinate-search rounds (default 3); each tries every parameter both ways. */
  rounds?: number;
  /** Level-gain corrections after the search (default GAIN_ROUNDS; 0: none). */
  gainRounds?: number;
  onEvaluation?: (recipe: CameraProfileNoise, distance: NoiseDistance) => void;
  /** After every measurement of synthetic noise, the scenes' and the ramps' (progress). */
  onMeasured?: () => void;
}

export interface FitResult {
  recipe: CameraProfileNoise;
  distance: NoiseDistance;
  /**
   * The luma-binned noise-level curve's distance from the profile's (RMS log-ratio over the bins
   * both have), on the ramps, before the level gains and after; the gains are kept only when they
   * bring it down.
   */
  levelCurve: { before: number; after: number };
  /** The synthetic measurement of the fitted recipe, beside the profile's. */
  measured: NoiseStats;
  evaluations: number;
}

/** Search space: ln shot, ln read, luma and chroma smoothing (px), with their bounds and first steps. */
const PARAMS = [
  { key: 'shot', log: true, min: 1e-5, max: 0.2, step: 0.6 },
  { key: 'read', log: true, min: 1e-8, max: 0.05, step: 0.9 },
  { key: 'lumaSmoothing', log: false, min: 0, max: 3, step: 0.4 },
  { key: 'chromaSmoothing', log: false, min: 0, max: 5, step: 0.8 },
] as const;

export async function fitCameraRecipe(
  profile: Pick<CameraProfile, 'camera' | 'stats' | 'isos' | 'jpegQuality' | 'chroma420'>,
  options: FitOptions,
): Promise<FitResult> {
  const seed = options.seed ?? 1;
  let evaluations = 0;
  const evaluate = async (
    recipe: CameraProfileNoise,
  ): Promise<{ recipe: CameraProfileNoise; distance: NoiseDistance; measured: NoiseStats }> => {
    // The fit measures the centre of the recipe (spread 1); the spread only widens training.
    const measured = await measureSynthetic({ ...recipe, spread: 1 }, options.crops, options.reference, seed);
    evaluations += 1;
    options.onMeasured?.();
    const distance = noiseDistance(profile.stats, measured);
    options.onEvaluation?.(recipe, distance);
    return { recipe, distance, measured };
  };
  // Start from a mid-ISO sensor on Brooks et al.'s read/shot line, then scale both to the measured RMS.
  const shot0 = 0.004;
  let best = await evaluate({
    type: 'camera-profile',
    camera: profile.camera,
    shot: shot0,
    read: Math.exp(2.18 * Math.log(shot0) + 1.2),
    spread: isoSpread(profile.isos),
    lumaSmoothing: 0.5,
    chromaSmoothing: 1.5,
    ...(profile.jpegQuality === undefined ? {} : { jpegQuality: profile.jpegQuality }),
    chroma420: profile.chroma420,
  });
  for (let i = 0; i < 2; i++) {
    const k = (profile.stats.overallRms / best.measured.overallRms) ** 2;
    const scaled = await evaluate({
      ...best.recipe,
      shot: clamp(best.recipe.shot * k, PARAMS[0]),
      read: clamp(best.recipe.read * k, PARAMS[1]),
    });
    if (scaled.distance.total < best.distance.total) best = scaled;
  }
  const steps: number[] = PARAMS.map((p) => p.step);
  for (let round = 0; round < (options.rounds ?? 3); round++) {
    for (const [i, p] of PARAMS.entries()) {
      let moved = false;
      for (const direction of [1, -1]) {
        const current = best.recipe[p.key];
        const next = clamp(p.log ? current * Math.exp(direction * steps[i]!) : current + direction * steps[i]!, p);
        if (next === current) continue;
        const tried = await evaluate({ ...best.recipe, [p.key]: next });
        if (tried.distance.total < best.distance.total) {
          best = tried;
          moved = true;
          break;
        }
      }
      if (!moved) steps[i] = steps[i]! / 2;
    }
  }
  // The curve's shape: shot and read noise set its level and tilt, the pipeline's tone curve its fall
  // in shadows and highlights; the level gains bend it to the profile's, measured on ramps.
  const ramps = rampScenes(options.crops[0]?.width ?? 128);
  const rampCurve = async (gains: number[]): Promise<Array<number | undefined>> => {
    const measured = await measureSynthetic(
      { ...best.recipe, spread: 1, levelGains: gains },
      ramps,
      options.reference,
      seed,
    );
    evaluations += 1;
    options.onMeasured?.();
    return lumaBins(measured);
  };
  const target = lumaBins(profile.stats);
  let gains = new Array<number>(LEVEL_BINS).fill(1);
  let curve = await rampCurve(gains);
  const before = levelCurveDistance(target, curve);
  for (let round = 0; round < (options.gainRounds ?? GAIN_ROUNDS); round++) {
    gains = correctedLevelGains(gains, target, curve);
    curve = await rampCurve(gains);
  }
  const after = levelCurveDistance(target, curve);
  if (after < before) best = await evaluate({ ...best.recipe, levelGains: gains });
  return {
    recipe: best.recipe,
    distance: best.distance,
    levelCurve: { before, after: Math.min(before, after) },
    measured: best.measured,
    evaluations,
  };
}

function clamp(value: number, p: { min: number; max: number }): number {
  return Math.min(p.max, Math.max(p.min, value));
}

/**
 * Smooth colour fields to synthesise noise on: each a bilinear blend of a 3×3 grid of random colours
 * (0.03–0.97 per channel), so nearly every block is flat and the measurement sees only the noise. The
 * user's clean photos are no good for this: their grain, texture and JPEG blocking leave a residual
 * of their own (1.5–3 levels RMS on bsds-color-train crops) at or above a real camera's noise.
 */
export function smoothScenes(count: number, side: number, seed: number): CleanCrop[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: count }, () => {
    const grid = Array.from({ length: 9 * 3 }, () => rng.uniform(0.03, 0.97));
    const data = new Float32Array(side * side * 3);
    for (let y = 0; y < side; y++) {
      const gy = (y / (side - 1)) * 2;
      const y0 = Math.min(1, Math.floor(gy));
      const fy = gy - y0;
      for (let x = 0; x < side; x++) {
        const gx = (x / (side - 1)) * 2;
        const x0 = Math.min(1, Math.floor(gx));
        const fx = gx - x0;
        for (let c = 0; c < 3; c++) {
          const at = (yy: number, xx: number): number => grid[(yy * 3 + xx) * 3 + c]!;
          const top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx;
          const bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx;
          data[(y * side + x) * 3 + c] = top * (1 - fy) + bottom * fy;
        }
      }
    }
    return { data, width: side, height: side };
  });
}
