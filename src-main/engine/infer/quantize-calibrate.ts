// Activation ranges for static quantisation: noisy training patches run through the float model on
// ONNX Runtime's CPU provider, with every tensor to quantise added as a graph output, and each
// tensor's range over all patches kept: a high percentile of its values by default (a second pass
// fills a histogram, calibration-histogram.ts), or the plain min/max. Patches get the noise the model was trained for
// (σ drawn from the card's range, its σ/255 plane when the model takes one), so the ranges are the
// ones the network sees in use. Noise other than white Gaussian (camera noise, mixtures) lives with
// the trainer, which inference may not import: the caller hands it in as `noise`.
import type { InferenceSession } from 'onnxruntime-node';
import type { ModelCard } from '../../../src-shared/schemas/models.js';
import { expandImageArgs } from '../io/image-args.js';
import { readSamples8 } from '../io/samples-8bit.js';
import { SeededRandom } from '../util/rng.js';
import { encodeModel, type DecodedModel } from '../contract/onnx-proto.js';
import { withExtraOutputs, type ActivationRange } from '../onnx/quantize-graph.js';
import { loadOnnxRuntime, type NhwcTensor } from './runtime.js';
import { ONNX_INPUT } from '../onnx/onnx-export.js';
import { addToHistogram, emptyHistogram, rangeFromHistogram, type RangeMethod } from './calibration-histogram.js';

/** Adds noise to one clean HWC patch (0..1) and says the level (0..255) the model is given for it. */
export type CalibrationNoise = (
  clean: Float32Array,
  shape: { width: number; height: number; channels: 1 | 3 },
  rng: SeededRandom,
) => Promise<{ noisy: Float32Array; sigma: number }>;

export interface CalibrationOptions {
  /** The noise the model was trained on; default white Gaussian with σ drawn from the card's range (25 otherwise). */
  noise?: CalibrationNoise;
  /** How many patches (default 256). */
  patches?: number;
  /** Patch side (default 96, a multiple of every size multiple we have). */
  patchSize?: number;
  /** Patches per ORT run (default 8). */
  batch?: number;
  seed?: number;
  threads?: number;
  /** How each tensor's values become its range (default DEFAULT_RANGE_METHOD). */
  rangeMethod?: RangeMethod;
}

/**
 * The 99.9th percentile of each tensor's calibration values. int8 − float, whole test sets, sub-pixel
 * up-sampling: clearframe-photo (polyu-dev, level Auto) −0.23 dB with min/max → −0.07 dB with this;
 * clearframe-colour (CBSD68 σ 25) −0.07 → −0.04 dB. The 99.5th suits photo better (−0.04) but costs
 * colour −0.12 dB (see the README's int8 section).
 */
export const DEFAULT_RANGE_METHOD: RangeMethod = { kind: 'percentile', percentile: 99.9 };

/** The σ (0..255) a calibration patch gets, drawn from what the model was trained on. */
function drawSigma(card: ModelCard, rng: SeededRandom): number {
  const noise = card.trainingNoise;
  if (noise.type === 'gaussian') return noise.sigma;
  if (noise.type === 'gaussian-range') return rng.uniform(noise.sigmaMin, noise.sigmaMax);
  return 25;
}

/** White Gaussian noise of σ (0..255), unclipped as in the benchmarks. */
function gaussian(clean: Float32Array, sigma: number, rng: SeededRandom): { noisy: Float32Array; sigma: number } {
  return { noisy: clean.map((v) => v + (sigma / 255) * rng.normal()), sigma };
}

/**
 * `count` noisy patches (NHWC, batched) cut from the images of `folder`, seeded. Every image gives
 * an equal share, at random positions.
 */
export async function calibrationBatches(
  folder: string,
  card: ModelCard,
  options: CalibrationOptions = {},
): Promise<NhwcTensor[]> {
  const count = options.patches ?? 256;
  const size = options.patchSize ?? 96;
  const batch = options.batch ?? 8;
  const { files } = await expandImageArgs([folder]);
  if (files.length === 0) throw new Error(`Calibration: no images in ${folder}`);
  const rng = new SeededRandom(options.seed ?? 0);
  const inC = card.channels + (card.noiseLevelInput ? 1 : 0);
  const perImage = Math.max(1, Math.ceil(count / files.length));
  const patches: Float32Array[] = [];
  for (let f = 0; f < files.length && patches.length < count; f++) {
    const file = files[Math.floor((f * files.length) / Math.min(files.length, count))] ?? files[f]!;
    const { data, info } = await readSamples8(file, { colourspace: card.channels === 1 ? 'b-w' : 'srgb' });
    if (info.width < size || info.height < size) continue;
    for (let k = 0; k < perImage && patches.length < count; k++) {
      const left = rng.int(info.width - size + 1);
      const top = rng.int(info.height - size + 1);
      const clean = new Float32Array(size * size * card.channels);
      for (let y = 0; y < size; y++)
        for (let x = 0; x < size; x++) {
          const src = ((top + y) * info.width + left + x) * info.channels;
          for (let c = 0; c < card.channels; c++) clean[(y * size + x) * card.channels + c] = data[src + c]! / 255;
        }
      const { noisy, sigma } = options.noise
        ? await options.noise(clean, { width: size, height: size, channels: card.channels }, rng)
        : gaussian(clean, drawSigma(card, rng), rng);
      const patch = new Float32Array(size * size * inC);
      for (let p = 0; p < size * size; p++) {
        for (let c = 0; c < card.channels; c++) patch[p * inC + c] = noisy[p * card.channels + c]!;
        if (card.noiseLevelInput) patch[p * inC + card.channels] = sigma / 255;
      }
      patches.push(patch);
    }
  }
  if (patches.length === 0) throw new Error(`Calibration: no image in ${folder} is at least ${size}×${size}`);
  const batches: NhwcTensor[] = [];
  for (let i = 0; i < patches.length; i += batch) {
    const group = patches.slice(i, i + batch);
    const data = new Float32Array(group.length * size * size * inC);
    group.forEach((p, j) => data.set(p, j * p.length));
    batches.push({ data, shape: [group.length, size, size, inC] });
  }
  return batches;
}

/** Runs `batches` through `session` and hands each tensor's values to `visit`. */
async function forEachActivation(
  ort: typeof import('onnxruntime-node'),
  session: InferenceSession,
  tensors: readonly string[],
  batches: readonly NhwcTensor[],
  visit: (tensor: string, values: Float32Array) => void,
): Promise<void> {
  for (const b of batches) {
    const feed = new ort.Tensor('float32', b.data, b.shape);
    const out = await session.run({ [ONNX_INPUT]: feed }, [...tensors]);
    for (const t of tensors) {
      visit(t, out[t]!.data as Float32Array);
      out[t]!.dispose();
    }
    feed.dispose();
  }
}

/**
 * The range of each of `tensors` over `batches` run through the float `model`: min/max, or (with
 * a histogram method) clipped as rangeFromHistogram says, from a second pass that fills a
 * histogram over each tensor's min..max.
 */
export async function calibrateRanges(
  model: DecodedModel,
  tensors: readonly string[],
  batches: readonly NhwcTensor[],
  options: Pick<CalibrationOptions, 'threads' | 'rangeMethod'> = {},
): Promise<Map<string, ActivationRange>> {
  const ort = await loadOnnxRuntime();
  const bytes = encodeModel(withExtraOutputs(model.graph, tensors), model.opset, model.producer);
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
  });
  const ranges = new Map<string, ActivationRange>(tensors.map((t) => [t, { min: Infinity, max: -Infinity }]));
  const method = options.rangeMethod ?? DEFAULT_RANGE_METHOD;
  try {
    await forEachActivation(ort, session, tensors, batches, (t, values) => {
      const r = ranges.get(t)!;
      let { min, max } = r;
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      r.min = min;
      r.max = max;
    });
    if (method.kind === 'minmax') return ranges;
    const histograms = new Map(tensors.map((t) => [t, emptyHistogram(ranges.get(t)!)]));
    await forEachActivation(ort, session, tensors, batches, (t, values) => addToHistogram(histograms.get(t)!, values));
    return new Map(tensors.map((t) => [t, rangeFromHistogram(histograms.get(t)!, method)]));
  } finally {
    await session.release();
  }
}
