import { z } from 'zod';

/** Architectures the trainer and the registry know. */
export const ArchitectureId = z.enum(['dcae', 'dcae-res', 'dcae-res-nl', 'dcae-res4-nl']);
export type ArchitectureId = z.infer<typeof ArchitectureId>;

export const NoiseSpec = z.discriminatedUnion('type', [
  // `unclipped`: trained on noise left outside 0..1 (the benchmarks' protocol; see TrainNoise).
  z.object({ type: z.literal('gaussian'), sigma: z.number().min(0).max(255), unclipped: z.boolean().optional() }),
  z.object({
    type: z.literal('gaussian-range'),
    sigmaMin: z.number().min(0).max(255),
    sigmaMax: z.number().min(0).max(255),
    unclipped: z.boolean().optional(),
  }),
  z.object({ type: z.literal('salt-pepper'), density: z.number().min(0).max(1) }),
  z.object({
    type: z.literal('gaussian-correlated'),
    sigmaMin: z.number().min(0).max(255),
    sigmaMax: z.number().min(0).max(255),
  }),
  z.object({ type: z.literal('camera') }), // simulated camera pipeline (engine/train/camera-noise.ts)
  z.looseObject({ type: z.literal('camera-profile') }), // one camera's fitted recipe (schemas/train.ts: CameraProfileNoise)
  z.object({ type: z.literal('pairs') }), // real noisy/clean pairs
  z.object({ type: z.literal('mixture'), parts: z.array(z.record(z.string(), z.unknown())).max(8) }),
]);
export type NoiseSpec = z.infer<typeof NoiseSpec>;

export const Metric = z.object({
  dataset: z.string(), // e.g. 'BSD68'
  sigma: z.number(),
  psnr: z.number(),
  ssim: z.number(),
  noisyPsnr: z.number().optional(),
  /** How many images (or validation crops) the figures average. */
  images: z.number().int().positive().optional(),
  /** Real noisy/clean photo pairs (e.g. polyu-dev): the noise is the camera's, `sigma` is 0 and the level was Auto. */
  realNoise: z.boolean().optional(),
});
export type Metric = z.infer<typeof Metric>;

/** How far below the float model's PSNR an int8 model may be and still run instead of it (dB). */
export const INT8_PSNR_TOLERANCE_DB = 0.1;

/**
 * The int8 (QDQ) version of a model, measured when it was made: PSNR of the int8 and of the float
 * model on the same noisy images of `dataset` at `sigma` (the benchmark's protocol).
 */
export const QuantizedModel = z.object({
  file: z.string().regex(/^[\w.-]+\.onnx$/), // beside model.onnx, e.g. model.int8.onnx
  psnr: z.number(),
  floatPsnr: z.number(),
  dataset: z.string(),
  sigma: z.number(),
  images: z.number().int().positive(),
  /** Measured on real noisy/clean pairs (e.g. polyu-dev) with the level on Auto; `sigma` is then 0. */
  realNoise: z.boolean().optional(),
  /** The network's time on one tile, float and int8 interleaved on the CPU provider, where it was made. */
  speed: z
    .object({
      tile: z.number().int().positive(),
      floatMs: z.number().positive(),
      int8Ms: z.number().positive(),
      threads: z.number().int().positive(),
      /** The machine, in words ("AMD EPYC, 2 cores"). */
      machine: z.string(),
    })
    .optional(),
  createdAt: z.string(),
});
export type QuantizedModel = z.infer<typeof QuantizedModel>;

/** The metric the int8 guard measures on: the card's primaryMetric when it names one of its metrics, else the first. */
export function guardMetric(card: Pick<ModelCard, 'metrics' | 'primaryMetric'>): Metric | undefined {
  const primary = card.primaryMetric;
  return (
    (primary && card.metrics.find((m) => m.dataset === primary.dataset && m.sigma === primary.sigma)) ?? card.metrics[0]
  );
}

/** The quality guard: the int8 model runs only when it is within INT8_PSNR_TOLERANCE_DB of float. */
export function int8PassesGuard(q: Pick<QuantizedModel, 'psnr' | 'floatPsnr'>): boolean {
  return q.psnr >= q.floatPsnr - INT8_PSNR_TOLERANCE_DB;
}

/**
 * The model a run started from (`--init`, the Train view's "Start from"), measured at the run's step 0
 * on the same validation crops (`dataset`, `sigma`) as the card's validation metric, so the card can
 * say what the run gained or lost.
 */
export const StartedFrom = z.object({
  id: z.string().max(128),
  name: z.string().max(128),
  dataset: z.string(),
  sigma: z.number(),
  psnr: z.number(),
  ssim: z.number(),
});
export type StartedFrom = z.infer<typeof StartedFrom>;

/**
 * The card's validation PSNR minus its starting model's on the same crops (negative: worse than the
 * model it started from); undefined for a model trained from nothing or measured on other crops.
 */
export function gainOverStart(card: Pick<ModelCard, 'metrics' | 'startedFrom'>): number | undefined {
  const start = card.startedFrom;
  const same = start && card.metrics.find((m) => m.dataset === start.dataset && m.sigma === start.sigma);
  return start && same ? same.psnr - start.psnr : undefined;
}

/**
 * Why a model should not be saved without asking, in plain words: it scores below the model it
 * started from on the same validation photos. Undefined when it does not.
 */
export function worseThanStartMessage(card: Pick<ModelCard, 'name' | 'metrics' | 'startedFrom'>): string | undefined {
  const gain = gainOverStart(card);
  if (gain === undefined || gain >= 0 || !card.startedFrom) return undefined;
  const start = card.startedFrom;
  return (
    `${card.name} scores ${(start.psnr + gain).toFixed(2)} dB on its validation photos (${start.dataset}), ${(-gain).toFixed(2)} dB below ` +
    `${start.name} (${start.psnr.toFixed(2)} dB), the model it started from: it would denoise worse than what you have. Save it anyway?`
  );
}

/**
 * card.json, beside model.json (tfjs layers) and model.onnx in a model folder.
 * Model I/O convention, for every architecture: input NHWC float32 in 0..1 with `channels` image
 * channels, plus one extra channel filled with sigma/255 when `noiseLevelInput`; the network's
 * output is the clean image (`output: 'clean'`) or the noise to subtract from the input
 * (`output: 'noise'`). The runtime applies that rule, so tfjs and ONNX graphs stay identical.
 */
export const ModelCard = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[a-z0-9][a-z0-9._-]*$/),
  name: z.string().min(1).max(128),
  architecture: ArchitectureId,
  channels: z.union([z.literal(1), z.literal(3)]),
  output: z.enum(['clean', 'noise']),
  noiseLevelInput: z.boolean(),
  /** Input sides must be multiples of this (2^number of stride-2 stages). */
  // Bounded: a card asking for sides in multiples of a million would pad every tile to that size.
  sizeMultiple: z.number().int().positive().max(256),
  trainingNoise: NoiseSpec,
  /**
   * The lowest level Auto tells this noise-level model, where it has one of its own instead of
   * AUTO_RULE's floor: a camera model's, the level it does best at on its camera's fitted noise,
   * measured at the end of its run (engine/train/auto-floor.ts).
   */
  autoFloor: z.number().min(0).max(75).optional(),
  patchSize: z.number().int().positive().max(4096),
  /** The training folder's name (not its path on the machine that trained it). */
  trainingData: z.string(),
  steps: z.number().int().nonnegative(),
  patchesSeen: z.number().int().nonnegative().optional(),
  backend: z.string(),
  command: z.string().optional(),
  wallTimeSeconds: z.number().nonnegative().optional(),
  params: z.number().int().nonnegative().optional(),
  flopsPerPixel: z.number().nonnegative().optional(),
  metrics: z.array(Metric).default([]),
  /**
   * The test set that stands for this model (one of `metrics`, by dataset and σ): the int8 guard
   * measures there. Absent: the first metric. A real-noise model names its real set (polyu-dev).
   */
  primaryMetric: z.object({ dataset: z.string(), sigma: z.number() }).optional(),
  /** The model the run started from and its score on the same validation crops; absent for a network trained from nothing. */
  startedFrom: StartedFrom.optional(),
  /** Present once `clearframe quantize` measured an int8 version (whether or not it passed the guard). */
  quantized: QuantizedModel.optional(),
  createdAt: z.string(), // ISO date
  /** What the model does, in plain words for the people choosing it. */
  description: z.string().max(2000).optional(),
  /** Technical notes (network layout, protocols) for those who want them; shown folded away. */
  details: z.string().max(4000).optional(),
  /**
   * Set when the model is not worth using as it is, in plain words: e.g. its validation PSNR is not
   * above the noisy input's, so it makes photos worse. Shown before anything else on the card.
   */
  warning: z.string().max(500).optional(),
});
export type ModelCard = z.infer<typeof ModelCard>;

export const ModelSource = z.enum(['shipped', 'user']);
export const ModelSummary = z.object({
  card: ModelCard,
  source: ModelSource,
  folder: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  hasOnnx: z.boolean(),
});
export type ModelSummary = z.infer<typeof ModelSummary>;

/**
 * The user's default model per channel count (Settings' defaultModelGrey / defaultModelColour),
 * sent with each denoise and preview task: '' is the registry's automatic choice.
 */
export const DefaultModels = z.object({ grey: z.string().max(128), colour: z.string().max(128) }).strict();
export type DefaultModels = z.infer<typeof DefaultModels>;
