// `clearframe quantize`, the trainer's export and the end of every training run: makes model.int8.onnx beside a folder's
// model.onnx (calibrated on training patches, see quantize-calibrate.ts), measures it and the float
// model on the same noisy test images — synthetic noise of σ, or a real-noise set (noisy/ and clean/
// pairs such as polyu-dev, level on Auto) when the card's primary metric is one — and records both
// PSNRs in card.json (`quantized`), with the int8 network's speed against float on this machine. The int8
// file is kept only when it passes the guard (within INT8_PSNR_TOLERANCE_DB of float); otherwise
// it is removed and the card says why, so the registry runs the float model.
import { readFile, rm } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { basename, join } from 'node:path';
import { int8PassesGuard, ModelCard, type QuantizedModel } from '../../../src-shared/schemas/models.js';
import { EVAL_SEED, evaluateModel } from '../infer/evaluate-model.js';
import { evaluateRealPairs, listRealPairs } from '../infer/evaluate-real.js';
import { decodeModel, encodeModel } from '../contract/onnx-proto.js';
import { calibrateRanges, calibrationBatches, type CalibrationOptions } from '../infer/quantize-calibrate.js';
import {
  DEFAULT_QUANTIZE_OPTIONS,
  graphToQuantize,
  quantizeGraph,
  tensorsToQuantize,
  type QuantizeOptions,
} from '../onnx/quantize-graph.js';
import { createOnnxRuntime, type InferenceRuntime } from '../infer/runtime.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { expandImageArgs } from '../io/image-args.js';
import { CARD_JSON, MODEL_INT8_ONNX, MODEL_ONNX, readCard } from './model-folder.js';
import { probeTile } from './registry.js';

export interface QuantizeFolderOptions {
  /** Folder of clean test images; noise of `sigma` is added as in bench:quality. */
  testSet: string;
  sigma?: number;
  /** `testSet` holds real noisy/clean pairs (noisy/, clean/): each is denoised with the level on Auto, as bench:real does. */
  realNoise?: boolean;
  /** First N test images only (tests); default all. */
  limit?: number;
  /** Folder of training images to calibrate on; default the card's trainingData. */
  calibration?: string;
  calibrationOptions?: CalibrationOptions;
  quantize?: Partial<QuantizeOptions>;
  threads?: number;
}

export interface QuantizeFolderResult {
  card: ModelCard;
  quantized: QuantizedModel;
  accepted: boolean;
  /** The int8 model's bytes (written to the folder only when accepted). */
  bytes: Uint8Array;
}

/** The int8 QDQ model of `modelOnnx` (bytes of a float model.onnx), calibrated on `calibration`'s images. */
export async function quantizeOnnx(
  modelOnnx: Uint8Array,
  card: ModelCard,
  calibration: string,
  options: Pick<QuantizeFolderOptions, 'calibrationOptions' | 'quantize' | 'threads'> = {},
): Promise<Uint8Array> {
  const model = decodeModel(modelOnnx);
  const quantizeOptions = { ...DEFAULT_QUANTIZE_OPTIONS, ...options.quantize };
  const tensors = tensorsToQuantize(model.graph, quantizeOptions);
  const batches = await calibrationBatches(calibration, card, options.calibrationOptions);
  const ranges = await calibrateRanges(
    { ...model, graph: graphToQuantize(model.graph, quantizeOptions) },
    tensors,
    batches,
    {
      ...(options.threads ? { threads: options.threads } : {}),
      ...(options.calibrationOptions?.rangeMethod ? { rangeMethod: options.calibrationOptions.rangeMethod } : {}),
    },
  );
  return encodeModel(quantizeGraph(model.graph, ranges, quantizeOptions), model.opset, model.producer);
}

/**
 * Mean PSNR of the folder's float model and of `int8` on the same noisy test images (CPU provider
 * for both), as the card's `quantized` record. The guard is int8PassesGuard(record).
 */
export async function measureInt8(
  folder: string,
  card: ModelCard,
  int8: Uint8Array,
  options: Pick<QuantizeFolderOptions, 'testSet' | 'sigma' | 'realNoise' | 'limit' | 'threads'>,
): Promise<QuantizedModel> {
  const runtimeOptions = { providers: ['cpu'], ...(options.threads ? { threads: options.threads } : {}) };
  const measure = async (
    model: string | Uint8Array,
    score: (runtime: InferenceRuntime) => Promise<number>,
  ): Promise<number> => {
    const runtime = await createOnnxRuntime(model, runtimeOptions);
    try {
      return await score(runtime);
    } finally {
      await runtime.dispose();
    }
  };
  const dataset = basename(options.testSet);
  const createdAt = () => new Date().toISOString();
  if (options.realNoise) {
    const pairs = (await listRealPairs(options.testSet)).slice(0, options.limit);
    if (pairs.length === 0) throw new Error(`Test set ${options.testSet} holds no noisy/clean pairs`);
    const score = async (runtime: InferenceRuntime) =>
      (await evaluateRealPairs({ card, runtime }, pairs, { noiseLevel: 'auto' })).psnr;
    const floatPsnr = await measure(join(folder, MODEL_ONNX), score);
    const psnr = await measure(int8, score);
    return {
      file: MODEL_INT8_ONNX,
      psnr,
      floatPsnr,
      dataset,
      sigma: 0,
      images: pairs.length,
      realNoise: true,
      createdAt: createdAt(),
    };
  }
  const { files, missing } = await expandImageArgs([options.testSet]);
  if (missing.length > 0 || files.length === 0) throw new Error(`Test set ${options.testSet} holds no images`);
  const images = files.slice(0, options.limit ?? files.length);
  const sigma = options.sigma ?? 25;
  const score = async (runtime: InferenceRuntime) =>
    (await evaluateModel({ card, runtime }, images, { sigma, seed: EVAL_SEED })).psnr;
  const floatPsnr = await measure(join(folder, MODEL_ONNX), score);
  const psnr = await measure(int8, score);
  return { file: MODEL_INT8_ONNX, psnr, floatPsnr, dataset, sigma, images: images.length, createdAt: createdAt() };
}

/** Tile side and interleaved rounds of the speed measurement. */
const SPEED_TILE = 512;
const SPEED_ROUNDS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * The network's time on one 512² tile (or `side`²) in float and in int8 on the CPU provider, median
 * of interleaved rounds (so a busy machine slows both alike), after one warm-up run each.
 */
export async function measureInt8Speed(
  floatModel: string | Uint8Array,
  int8: Uint8Array,
  card: ModelCard,
  threads?: number,
  side = SPEED_TILE,
): Promise<NonNullable<QuantizedModel['speed']>> {
  const options = { providers: ['cpu'], ...(threads ? { threads } : {}) };
  const tile = probeTile(card, side);
  const float = await createOnnxRuntime(floatModel, options);
  const quantised = await createOnnxRuntime(int8, options);
  try {
    const time = async (runtime: InferenceRuntime): Promise<number> => {
      const started = performance.now();
      await runtime.run(tile);
      return performance.now() - started;
    };
    await time(float);
    await time(quantised);
    const floatMs: number[] = [];
    const int8Ms: number[] = [];
    for (let round = 0; round < SPEED_ROUNDS; round++) {
      floatMs.push(await time(float));
      int8Ms.push(await time(quantised));
    }
    return {
      tile: tile.shape[1],
      floatMs: median(floatMs),
      int8Ms: median(int8Ms),
      threads: threads || availableParallelism(),
      machine: machineInWords(),
    };
  } finally {
    await float.dispose();
    await quantised.dispose();
  }
}

/** "AMD EPYC 7B13, 2 cores": the CPU's model name and the cores this process may use. */
function machineInWords(): string {
  const model = cpus()[0]?.model.trim().replace(/\s+/g, ' ') || 'unknown CPU';
  return `${model}, ${availableParallelism()} cores`;
}

/** Quantises a model folder in place: model.int8.onnx when it passes the guard, and card.quantized either way. */
export async function quantizeModelFolder(
  folder: string,
  options: QuantizeFolderOptions,
): Promise<QuantizeFolderResult> {
  const card = await readCard(folder);
  const bytes = await quantizeOnnx(
    new Uint8Array(await readFile(join(folder, MODEL_ONNX))),
    card,
    options.calibration ?? card.trainingData,
    options,
  );
  return keepInt8IfGuarded(folder, card, bytes, await measureInt8(folder, card, bytes, options), {
    ...(options.threads ? { threads: options.threads } : {}),
  });
}

/**
 * The guard's decision on an int8 model `measured` against its float model (by measureInt8, or by
 * the trainer on its validation crops): written beside model.onnx, with its speed, when it passes,
 * removed when it does not; card.quantized records the measurement either way.
 */
export async function keepInt8IfGuarded(
  folder: string,
  card: ModelCard,
  bytes: Uint8Array,
  measured: QuantizedModel,
  speed: { threads?: number; tile?: number } = {},
): Promise<QuantizeFolderResult> {
  const accepted = int8PassesGuard(measured);
  const quantized = accepted
    ? { ...measured, speed: await measureInt8Speed(join(folder, MODEL_ONNX), bytes, card, speed.threads, speed.tile) }
    : measured;
  if (accepted) await writeFileAtomic(join(folder, MODEL_INT8_ONNX), bytes);
  else await rm(join(folder, MODEL_INT8_ONNX), { force: true });
  const updated = ModelCard.parse({ ...card, quantized });
  await writeFileAtomic(join(folder, CARD_JSON), JSON.stringify(updated, null, 2) + '\n');
  return { card: updated, quantized, accepted, bytes };
}
