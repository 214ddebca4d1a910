// Fits Auto's noise-level rule (infer/noise-estimate.ts) on SYNTHETIC data only: clean 256² crops of
// training photos (bsds-color-train) get the camera noise the photo model trained on
// (train/camera-noise.ts: the recipe's cameras and the wider noise-map cameras, noise RMS to ≈15 and
// beyond on 8-bit, chroma blotches, JPEG 4:2:0 and 4:4:4) or white / correlated Gaussian noise; each
// noisy crop is denoised by the model (int8, the app's runtime, the CLI's tile path) at every level of
// a grid, which gives its PSNR curve and the oracle level, and its Haar band features (noiseFeatures).
// The rule's constants are then chosen to minimise the mean PSNR lost against the per-crop oracle.
// No benchmark photo is read: polyu-dev is for checking the result (npm run bench:real).
//
// Content matters as much as noise: a crop of a 0.15-MP training photo is far busier per pixel than a
// crop of a 12-MP camera photo at 1:1, and on smooth content a model does best told a higher level
// than the noise's RMS (less detail to lose to a high level). `--magnify 1,4` sweeps the crops twice:
// as the photos hold them, and magnified (a region size/m made size×size by
// train/full-resolution-content.ts, m log-uniform in 1–4) like full-resolution content; the fit is on both.
//   nice -n 10 npx tsx scripts/fit-auto-level.ts [--data ../shared/data/bsds-color-train] [--crops 160]
//     [--size 256] [--seed 1] [--magnify 1,4] [--model clearframe-photo] [--threads 1] [--sweep-only]
// Each sweep (per crop, PSNR at every level) is cached in .scratch/auto-fit/ (one JSON line per crop,
// resumable), so a refit is free. Writes bench/results/auto-fit-<date>.json.
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resultMachine, resultVersions } from '../bench/result-meta.js';
import { denoiseTiled } from '../src-main/engine/infer/denoise-tiled.js';
import { AUTO_RULE, levelFromFeatures, noiseFeatures } from '../src-main/engine/infer/noise-estimate.js';
import { runtimeLabel } from '../src-main/engine/infer/runtime.js';
import { psnr } from '../src-main/engine/infer/metrics.js';
import { metricsRaster } from '../src-main/engine/infer/metrics-raster.js';
import type { Pixels } from '../src-main/engine/io/pixels.js';
import { ModelRegistry } from '../src-main/engine/models/registry.js';
import { addCorrelatedGaussian, rmsNoiseLevel } from '../src-main/engine/train/camera-noise.js';
import { decodeImage, listImages } from '../src-main/engine/train/dataset.js';
import { enlargedPatch, magnifiedRegion } from '../src-main/engine/train/full-resolution-content.js';
import { quantise8 } from '../src-main/engine/train/jpeg-roundtrip.js';
import { NOISE_MAP_CAMERA_RANGES } from '../src-main/engine/train/noise-map-data.js';
import { addCameraNoise, addGaussian } from '../src-main/engine/train/noise.js';
import { extractPatch, type Dihedral } from '../src-main/engine/train/patches.js';
import { SeededRandom } from '../src-main/engine/util/rng.js';
import { defaultRegistryDirs } from '../src-main/settings/model-dirs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    data: { type: 'string', default: join(root, '../shared/data/bsds-color-train') },
    crops: { type: 'string', default: '160' },
    size: { type: 'string', default: '256' },
    seed: { type: 'string', default: '1' },
    magnify: { type: 'string', default: '1,4' },
    model: { type: 'string', default: 'clearframe-photo' },
    threads: { type: 'string', default: '1' },
    'sweep-only': { type: 'boolean', default: false },
  },
});
const [cropCount, size, seed] = [Number(values.crops), Number(values.size), Number(values.seed)];
/** The sweeps' largest magnifications of the content (1: crops as the photos hold them). */
const magnifications = values.magnify.split(',').map(Number);
if (magnifications.some((m) => !(m >= 1))) throw new Error(`--magnify takes factors ≥ 1, got "${values.magnify}"`);

/** The levels each crop is denoised at: half steps where real photos sit, whole ones above, a few past 15 so heavy noise is not cut at the grid's edge. */
const LEVELS = [...range(1, 8, 0.5), ...range(9, 16, 1), 18, 20, 24, 28, 32];
function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => from + i * step);
}

/** What a crop's noise is drawn from, with its share of the crops. */
type SweepNoise = 'camera' | 'camera-wide' | 'gaussian' | 'gaussian-correlated';
const MIX: readonly [SweepNoise, number][] = [
  ['camera', 0.45],
  ['camera-wide', 0.25],
  ['gaussian', 0.15],
  ['gaussian-correlated', 0.15],
];

interface SweepCrop {
  index: number;
  image: string;
  left: number;
  top: number;
  /** How much the content was enlarged (absent: 1, as the photo holds it). */
  magnify?: number;
  kind: SweepNoise;
  /** RMS of noisy − clean, 0..255: the level the model was trained to be told. */
  rms: number;
  features: number[];
  /** PSNR (dB) of the denoised crop at each of LEVELS. */
  psnr: number[];
}

async function noisyCrop(clean: Float32Array, kind: SweepNoise, rng: SeededRandom): Promise<Float32Array> {
  const shape = { width: size, height: size, channels: 3 as const };
  switch (kind) {
    case 'camera':
      return addCameraNoise(clean, shape, rng);
    case 'camera-wide':
      return addCameraNoise(clean, shape, rng, NOISE_MAP_CAMERA_RANGES);
    case 'gaussian':
      return quantise8(addGaussian(clean, rng.uniform(1, 20), rng));
    case 'gaussian-correlated':
      return quantise8(
        addCorrelatedGaussian(
          clean,
          size,
          size,
          3,
          rng.uniform(1, 15),
          rng.uniform(0.3, 1.5),
          rng.uniform(0, 0.8),
          rng,
        ),
      );
  }
}

function drawKind(rng: SeededRandom): SweepNoise {
  let u = rng.next();
  for (const [kind, share] of MIX) if ((u -= share) < 0) return kind;
  return MIX[0]![0];
}

const to8Bit = (data: Float32Array): Pixels => ({
  width: size,
  height: size,
  channels: 3,
  scale: 255,
  data: Uint8Array.from(data, (v) => Math.round(v * 255)),
});

/**
 * Crop `index` of a sweep whose content is magnified up to `maxMagnify`, noisy and clean: each crop
 * draws from its own seeded stream, so any crop can be made again alone (and a sweep at 1 draws what
 * it drew before magnification existed).
 */
async function makeCrop(
  files: readonly string[],
  index: number,
  maxMagnify: number,
): Promise<
  Pick<SweepCrop, 'image' | 'left' | 'top' | 'magnify' | 'kind'> & { clean: Float32Array; noisy: Float32Array }
> {
  const rng = new SeededRandom(
    seed * 1_000_003 + index * 7919 + (maxMagnify > 1 ? Math.round(104_729 * maxMagnify) : 0),
  );
  const image = files[rng.int(files.length)]!;
  const photo = await decodeImage(join(values.data, image), 3);
  const magnify = maxMagnify > 1 ? Math.exp(rng.uniform(0, Math.log(maxMagnify))) : 1;
  const region = magnifiedRegion(size, magnify);
  const [left, top] = [rng.int(photo.width - region + 1), rng.int(photo.height - region + 1)];
  const clean = await enlargedPatch(photo, left, top, region, size, rng.int(8) as Dihedral);
  const kind = drawKind(rng);
  return { image, left, top, ...(magnify > 1 && { magnify }), kind, clean, noisy: await noisyCrop(clean, kind, rng) };
}

/** The per-crop sweep (PSNR at every level), from the cache where it holds it, else measured and appended to it. */
async function sweep(
  files: readonly string[],
  maxMagnify: number,
): Promise<{ crops: SweepCrop[]; runtime: string; cache: string }> {
  const config = {
    data: files,
    size,
    seed,
    model: values.model,
    levels: LEVELS,
    mix: MIX,
    ...(maxMagnify > 1 && { maxMagnify, enlarge: 'area 2x, lanczos3' }),
  };
  const key = createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 12);
  const cache = join(root, '.scratch/auto-fit', `sweep-${values.model}-${key}.jsonl`);
  await mkdir(dirname(cache), { recursive: true });
  const text = await readFile(cache, 'utf8').catch(() => '');
  const crops = text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as SweepCrop);
  const registry = new ModelRegistry(defaultRegistryDirs(), { precision: 'auto', threads: Number(values.threads) });
  const summary = (await registry.list()).find((m) => m.card.id === values.model);
  if (!summary) throw new Error(`No model "${values.model}"`);
  const model = await registry.open(summary);
  const runtime = runtimeLabel(model.runtime);
  const started = Date.now();
  for (let index = crops.length; index < cropCount; index++) {
    const { clean, noisy, ...where } = await makeCrop(files, index, maxMagnify);
    const pixels = to8Bit(noisy);
    const reference = metricsRaster(to8Bit(clean));
    const scores: number[] = [];
    for (const level of LEVELS)
      scores.push(psnr(metricsRaster(await denoiseTiled(pixels, model, { noiseLevel: level })), reference));
    const crop: SweepCrop = {
      index,
      ...where,
      rms: rmsNoiseLevel(noisy, clean),
      features: noiseFeatures(pixels),
      psnr: scores,
    };
    crops.push(crop);
    await appendFile(cache, JSON.stringify(crop) + '\n');
    const best = LEVELS[scores.indexOf(Math.max(...scores))]!;
    console.error(
      `crop ${index + 1}/${cropCount} ×${(crop.magnify ?? 1).toFixed(2)} ${crop.kind} rms ${crop.rms.toFixed(2)} oracle level ${best} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
  }
  await model.runtime.dispose();
  return { crops: crops.slice(0, cropCount), runtime, cache };
}

/**
 * The crops' features as today's noiseFeatures reads them (the crops made again: the cache holds the
 * PSNR curves, the estimator may have changed since), after checking each crop is the one swept.
 */
async function refreshFeatures(
  files: readonly string[],
  crops: readonly SweepCrop[],
  maxMagnify: number,
): Promise<SweepCrop[]> {
  const fresh: SweepCrop[] = [];
  for (const crop of crops) {
    const { clean, noisy, image, left, top } = await makeCrop(files, crop.index, maxMagnify);
    const rms = rmsNoiseLevel(noisy, clean);
    if (image !== crop.image || left !== crop.left || top !== crop.top || Math.abs(rms - crop.rms) > 1e-6)
      throw new Error(`Crop ${crop.index} is not the one in the cache: delete the sweep cache`);
    fresh.push({ ...crop, features: noiseFeatures(to8Bit(noisy)) });
  }
  return fresh;
}

// ---- the fit -----------------------------------------------------------------------------------

/** A crop's PSNR at `level`, linear between the grid's levels and flat past its ends. */
function psnrAt(crop: SweepCrop, level: number): number {
  if (level <= LEVELS[0]!) return crop.psnr[0]!;
  for (let i = 1; i < LEVELS.length; i++) {
    if (level <= LEVELS[i]!) {
      const t = (level - LEVELS[i - 1]!) / (LEVELS[i]! - LEVELS[i - 1]!);
      return (1 - t) * crop.psnr[i - 1]! + t * crop.psnr[i]!;
    }
  }
  return crop.psnr[LEVELS.length - 1]!;
}
const oracleOf = (crop: SweepCrop): number => Math.max(...crop.psnr);
const oracleLevel = (crop: SweepCrop): number => LEVELS[crop.psnr.indexOf(oracleOf(crop))]!;
const mean = (a: readonly number[]): number => a.reduce((s, v) => s + v, 0) / Math.max(1, a.length);
const median = (a: readonly number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? 0;

/** A rule: the level Auto tells the model from a crop's band features. */
type Rule = (features: readonly number[]) => number;
/** Mean dB lost against each crop's oracle level. */
const loss = (rule: Rule, set: readonly SweepCrop[]): number =>
  mean(set.map((c) => oracleOf(c) - psnrAt(c, rule(c.features))));

/** A rule family: its constants' names, how its constants make a rule, and how to fit them on a set. */
interface Family {
  names: string[];
  rule: (p: number[]) => Rule;
  fit: (set: readonly SweepCrop[]) => number[];
}

/** The shipped rule's shape (noise-estimate.ts's levelFromFeatures and floor) with any constants. */
function heuristic([gain, whiteRatio, correlatedRatio, floor]: number[]): Rule {
  return (f) =>
    Math.max(floor!, levelFromFeatures(f, { gain: gain!, whiteRatio: whiteRatio!, correlatedRatio: correlatedRatio! }));
}

/**
 * Exhaustive search over a grid of the heuristic's four constants: cheap (the sweep is cached) and no
 * local minima. The floor only replaces readings under it, so each crop's PSNR at every floor is read once.
 */
function fitHeuristic(set: readonly SweepCrop[]): number[] {
  const floors = range(1, 4, 0.25);
  const atFloor = set.map((c) => floors.map((f) => psnrAt(c, f)));
  const oracles = set.map(oracleOf);
  let best = { lost: Infinity, p: [] as number[] };
  for (const gain of range(0.5, 3, 0.05))
    for (const whiteRatio of range(1, 3.6, 0.2))
      for (const correlatedRatio of range(whiteRatio + 0.2, 8, 0.2)) {
        const raw = set.map((c) => levelFromFeatures(c.features, { gain, whiteRatio, correlatedRatio }));
        const atRaw = set.map((c, i) => psnrAt(c, raw[i]!));
        floors.forEach((floor, k) => {
          let lost = 0;
          oracles.forEach((oracle, i) => (lost += oracle - (raw[i]! < floor ? atFloor[i]![k]! : atRaw[i]!)));
          if (lost < best.lost) best = { lost, p: [gain, whiteRatio, correlatedRatio, floor] };
        });
      }
  return best.p;
}

const heuristicFamily: Family = {
  names: ['gain', 'whiteRatio', 'correlatedRatio', 'floor'],
  rule: heuristic,
  fit: fitHeuristic,
};
/**
 * The alternative the rule is compared with: ln(level) = b + Σ aᵢ·ln(featureᵢ) over the six band
 * figures, with a floor; least squares on ln(oracle level) to start, then Nelder–Mead on the dB lost.
 */
function logLinear(p: number[]): Rule {
  return (f) =>
    Math.max(
      p[7]!,
      Math.min(75, Math.exp(p[0]! + f.reduce((s, v, i) => s + p[i + 1]! * Math.log(Math.max(v, 0.05)), 0))),
    );
}
function fitLogLinear(set: readonly SweepCrop[]): number[] {
  const rows = set.map((c) => [1, ...c.features.map((v) => Math.log(Math.max(v, 0.05)))]);
  const start = leastSquares(
    rows,
    set.map((c) => Math.log(oracleLevel(c))),
  );
  return nelderMead((p) => loss(logLinear(p), set), [...start, 1]);
}

/** Ordinary least squares by the normal equations (a few columns), with a tiny ridge so collinear bands stay solvable. */
function leastSquares(rows: number[][], y: number[]): number[] {
  const n = rows[0]!.length;
  const a = Array.from({ length: n }, (_, i) => [
    ...Array.from({ length: n }, (_, j) => rows.reduce((s, r) => s + r[i]! * r[j]!, 0) + (i === j ? 1e-6 : 0)),
    rows.reduce((s, r, k) => s + r[i]! * y[k]!, 0),
  ]);
  for (let i = 0; i < n; i++) {
    const pivot = a.slice(i).reduce((best, row, k) => (Math.abs(row[i]!) > Math.abs(a[best]![i]!) ? i + k : best), i);
    [a[i], a[pivot]] = [a[pivot]!, a[i]!];
    for (let k = 0; k < n; k++) {
      if (k === i) continue;
      const factor = a[k]![i]! / a[i]![i]!;
      for (let j = i; j <= n; j++) a[k]![j] = a[k]![j]! - factor * a[i]![j]!;
    }
  }
  return a.map((row, i) => row[n]! / row[i]!);
}

/** Nelder–Mead minimisation from `start` (standard coefficients; initial steps of 0.1 or 10 %). */
function nelderMead(f: (p: number[]) => number, start: number[], iterations = 3000): number[] {
  const simplex = [
    start,
    ...start.map((v, i) => start.map((w, j) => (i === j ? w + Math.max(0.1, Math.abs(w) * 0.1) : w))),
  ].map((p) => ({ p, v: f(p) }));
  const along = (from: number[], to: number[], t: number): number[] => from.map((x, i) => x + t * (to[i]! - x));
  for (let it = 0; it < iterations; it++) {
    simplex.sort((a, b) => a.v - b.v);
    const worst = simplex[simplex.length - 1]!;
    const centroid = start.map((_, i) => mean(simplex.slice(0, -1).map((s) => s.p[i]!)));
    const reflected = along(worst.p, centroid, 2);
    const r = f(reflected);
    if (r < simplex[0]!.v) {
      const expanded = along(worst.p, centroid, 3);
      const e = f(expanded);
      simplex[simplex.length - 1] = e < r ? { p: expanded, v: e } : { p: reflected, v: r };
    } else if (r < simplex[simplex.length - 2]!.v) {
      simplex[simplex.length - 1] = { p: reflected, v: r };
    } else {
      const contracted = along(worst.p, centroid, 0.5);
      const c = f(contracted);
      if (c < worst.v) simplex[simplex.length - 1] = { p: contracted, v: c };
      else
        for (let k = 1; k < simplex.length; k++)
          simplex[k] = { p: along(simplex[0]!.p, simplex[k]!.p, 0.5), v: f(along(simplex[0]!.p, simplex[k]!.p, 0.5)) };
    }
  }
  return simplex.sort((a, b) => a.v - b.v)[0]!.p;
}

const logLinearFamily: Family = {
  names: ['intercept', 'fineHH', 'fineHL', 'fineLH', 'coarseHH', 'coarseHL', 'coarseLH', 'floor'],
  rule: logLinear,
  fit: fitLogLinear,
};

/** The constants Auto ships with now (noise-estimate.ts) and earlier ones, for comparison only. */
const SHIPPED = [AUTO_RULE.gain, AUTO_RULE.whiteRatio, AUTO_RULE.correlatedRatio, AUTO_RULE.floor];
const EARLIER: { constants: number[]; chosen: string }[] = [
  { constants: [1.5, 2, 4, 2], chosen: 'by hand on polyu-dev (before any fit)' },
  { constants: [0.75, 2.2, 3, 3.5], chosen: 'by this script on 2026-12-07, on crops as the photos hold them only' },
];

/** k-fold cross-validation: each crop's loss under constants fitted on the other folds. */
function crossValidated(family: Family, set: readonly SweepCrop[], folds = 5): number {
  const losses: number[] = [];
  for (let k = 0; k < folds; k++) {
    const train = set.filter((_, i) => i % folds !== k);
    const held = set.filter((_, i) => i % folds === k);
    const rule = family.rule(family.fit(train));
    for (const c of held) losses.push(oracleOf(c) - psnrAt(c, rule(c.features)));
  }
  return mean(losses);
}

/** Figures of a rule on the set: dB lost against the oracle overall and per noise kind, and how far its levels sit from the oracle's. */
function figures(rule: Rule, set: readonly SweepCrop[]) {
  const kinds = Object.fromEntries(
    MIX.map(([kind]) => [
      kind,
      round(
        loss(
          rule,
          set.filter((c) => c.kind === kind),
        ),
      ),
    ]),
  );
  return {
    dbLostToOracle: round(loss(rule, set)),
    dbLostByKind: kinds,
    dbLostByContent: {
      asPhotographed: round(
        loss(
          rule,
          set.filter((c) => !c.magnify),
        ),
      ),
      magnified: round(
        loss(
          rule,
          set.filter((c) => c.magnify),
        ),
      ),
    },
    medianAbsLog2LevelError: round(median(set.map((c) => Math.abs(Math.log2(rule(c.features) / oracleLevel(c)))))),
  };
}
const round = (v: number, digits = 3): number => Number(v.toFixed(digits));

const files = await listImages(values.data);
const sweeps = [];
for (const m of magnifications) sweeps.push({ maxMagnify: m, ...(await sweep(files, m)) });
if (values['sweep-only']) process.exit(0);
const runtime = sweeps[0]!.runtime;
const crops = (await Promise.all(sweeps.map((s) => refreshFeatures(files, s.crops, s.maxMagnify)))).flat();
console.error(`${crops.length} crops, ${runtime}, caches ${sweeps.map((s) => s.cache).join(', ')}`);
const fitted = heuristicFamily.fit(crops);
const fixedLevels = LEVELS.map((level) => ({ level, dbLost: round(loss(() => level, crops)) }));
const bestFixed = fixedLevels.reduce((a, b) => (b.dbLost < a.dbLost ? b : a));
/** White Gaussian noise as bench:quality adds it (float, σ 15/25/50) on clean crops: Auto should read σ. */
const white = await whiteNoiseReadings(fitted);
const result = {
  date: new Date().toISOString(),
  command: ['npx tsx scripts/fit-auto-level.ts', ...process.argv.slice(2)].join(' '),
  machine: resultMachine(),
  versions: await resultVersions(),
  model: values.model,
  runtime,
  data: values.data,
  crops: crops.length,
  size,
  seed,
  levels: LEVELS,
  mix: Object.fromEntries(MIX),
  magnify: magnifications,
  caches: sweeps.map((s) => s.cache.slice(root.length + 1)),
  oracle: {
    meanPsnr: round(mean(crops.map(oracleOf))),
    levels: {
      min: Math.min(...crops.map(oracleLevel)),
      median: median(crops.map(oracleLevel)),
      max: Math.max(...crops.map(oracleLevel)),
    },
  },
  bestFixedLevel: bestFixed,
  fitted: {
    rule: 'heuristic',
    constants: Object.fromEntries(heuristicFamily.names.map((n, i) => [n, round(fitted[i]!)])),
    ...figures(heuristic(fitted), crops),
    crossValidatedDbLost: round(crossValidated(heuristicFamily, crops)),
  },
  logLinear: (() => {
    const p = logLinearFamily.fit(crops);
    return {
      constants: Object.fromEntries(logLinearFamily.names.map((n, i) => [n, round(p[i]!)])),
      ...figures(logLinear(p), crops),
      crossValidatedDbLost: round(crossValidated(logLinearFamily, crops)),
    };
  })(),
  shipped: {
    rule: 'heuristic',
    constants: AUTO_RULE,
    ...figures(heuristic(SHIPPED), crops),
  },
  earlier: EARLIER.map(({ constants, chosen }) => ({
    rule: 'heuristic',
    chosen,
    constants: Object.fromEntries(heuristicFamily.names.map((n, i) => [n, constants[i]])),
    ...figures(heuristic(constants), crops),
  })),
  whiteNoise: white,
};
console.log(JSON.stringify(result, null, 2));
const out = join(root, 'bench/results', `auto-fit-${result.date.slice(0, 10)}.json`);
await writeFile(out, JSON.stringify(result, null, 2) + '\n');
console.error(`written ${out}`);

/** Auto's reading over σ of white Gaussian noise (float, as bench:quality adds it) on 8 clean crops, with the shipped and the fitted constants. */
async function whiteNoiseReadings(p: number[]) {
  const rng = new SeededRandom(seed * 31 + 5);
  const rows = [];
  for (const sigma of [5, 15, 25, 50]) {
    const [shipped, fitted] = [[] as number[], [] as number[]];
    for (let i = 0; i < 8; i++) {
      const photo = await decodeImage(join(values.data, files[rng.int(files.length)]!), 3);
      const clean = extractPatch(photo, rng.int(photo.width - size + 1), rng.int(photo.height - size + 1), size);
      const noisy: Pixels = { width: size, height: size, channels: 3, scale: 1, data: addGaussian(clean, sigma, rng) };
      const f = noiseFeatures(noisy);
      shipped.push(heuristic(SHIPPED)(f) / sigma);
      fitted.push(heuristic(p)(f) / sigma);
    }
    rows.push({ sigma, readOverSigmaShipped: round(mean(shipped)), readOverSigmaFitted: round(mean(fitted)) });
  }
  return rows;
}
