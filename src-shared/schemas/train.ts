import { z } from 'zod';
import { ArchitectureId } from './models.js';
import { PathString, pathShaped } from './common.js';

/** Brightness bins of a camera's noise-level function (each 32 levels of 0–255), as profiles measure it. */
export const NOISE_LEVEL_BINS = 8;

/** A fitted camera's noise recipe (see the `camera-profile` member of the noise union below). */
export const CameraProfileNoise = z.object({
  type: z.literal('camera-profile'),
  /** The camera the profile was measured on ("Canon EOS 80D"), for the card and the app. */
  camera: z.string().max(128).optional(),
  shot: z.number().positive().max(1),
  read: z.number().positive().max(1),
  spread: z.number().min(1).max(16),
  lumaSmoothing: z.number().min(0).max(8),
  chromaSmoothing: z.number().min(0).max(8),
  /** Absent: the camera writes lossless files. */
  jpegQuality: z.number().int().min(1).max(100).optional(),
  chroma420: z.boolean(),
  /**
   * The noise-level function's shape: per brightness bin of the clean pixel's luma, a factor on the
   * simulated noise (all channels alike), interpolated between bin centres. The simulated pipeline's
   * tone curve fixes how noise falls off in shadows and highlights; a real camera's curve and
   * highlight handling differ, and these make the synthetic noise follow the camera's measured
   * curve. Absent: 1 everywhere. One factor for all channels: the camera's JPEG mixes them (YCbCr,
   * 4:2:0), and per-channel factors fitted from its output did not recover a known curve.
   */
  levelGains: z.array(z.number().min(0.05).max(20)).length(NOISE_LEVEL_BINS).optional(),
});
export type CameraProfileNoise = z.infer<typeof CameraProfileNoise>;

/** Synthetic noise the trainer adds to clean patches (σ on the 0–255 scale); see engine/train/noise.ts. */
const SyntheticNoiseBase = z.discriminatedUnion('type', [
  /**
   * `unclipped`: the noisy patch is left outside 0..1, as in the Gaussian benchmarks' protocol (DnCNN's
   * evaluation adds noise in float and does not clip). Real photos are clipped, so the default clips.
   */
  z.object({ type: z.literal('gaussian'), sigma: z.number().min(0).max(255), unclipped: z.boolean().optional() }),
  z.object({
    type: z.literal('gaussian-range'),
    sigmaMin: z.number().min(0).max(255),
    sigmaMax: z.number().min(0).max(255),
    unclipped: z.boolean().optional(),
  }),
  z.object({ type: z.literal('salt-pepper'), density: z.number().min(0).max(1) }),
  /** White noise blurred and mixed across channels (σ of the result drawn from the range). */
  z.object({
    type: z.literal('gaussian-correlated'),
    sigmaMin: z.number().min(0).max(255),
    sigmaMax: z.number().min(0).max(255),
  }),
  /** A simulated camera: raw shot + read noise through demosaicing, colour matrix, tone curve and JPEG. */
  z.object({ type: z.literal('camera') }),
  /**
   * One camera's noise as `clearframe profile` fitted it (engine/noise-profile/fit-recipe.ts): the
   * simulated pipeline with the fitted shot and read noise (each patch's variance scaled by a factor
   * drawn log-uniformly in [1/spread, spread], for the ISOs the photos span), in-camera smoothing,
   * the camera's JPEG quality and subsampling. The colour matrix and white balance are drawn per patch.
   */
  CameraProfileNoise,
]);
/** ONNX Runtime execution providers the training graph can run on. */
export const TrainProvider = z.enum(['cpu', 'webgpu', 'dml', 'cuda']);
export type TrainProvider = z.infer<typeof TrainProvider>;

/** Settings → Engine's runtime ('onnxruntime:webgpu'…) as a training provider; undefined for auto, tfjs or a provider training cannot use. */
export function trainProviderFromRuntimeSetting(runtime: string): TrainProvider | undefined {
  const [engine, provider] = runtime.split(':');
  const parsed = TrainProvider.safeParse(provider);
  return engine === 'onnxruntime' && parsed.success ? parsed.data : undefined;
}

export const TrainNoise = z.union([
  SyntheticNoiseBase,
  z.object({ type: z.literal('mixture'), parts: z.array(SyntheticNoiseBase).min(1).max(8) }),
]);
export type TrainNoise = z.infer<typeof TrainNoise>;

/**
 * The recipe behind `--noise camera` and the Train view's "Real camera noise (recommended)": half the
 * patches get a simulated camera's noise (ISO 100–12,800, in-camera smoothing, JPEG or not), a quarter
 * correlated Gaussian noise (other pipelines, resized photos), a quarter white Gaussian σ 0–50, so
 * one model covers real photos and the synthetic cases (engine/train/camera-noise.ts).
 */
export const CAMERA_NOISE_RECIPE: TrainNoise = {
  type: 'mixture',
  parts: [
    { type: 'camera' },
    { type: 'camera' },
    { type: 'gaussian-correlated', sigmaMin: 0, sigmaMax: 30 },
    { type: 'gaussian-range', sigmaMin: 0, sigmaMax: 50 },
  ],
};

/**
 * The recipe a new run starts from unless told otherwise, in the Train view (before a preset measures
 * the machine) and in `clearframe train`: dcae-res-nl (residual, no BatchNorm, told the noise level)
 * learns fastest per minute and is what Clearframe's photo model is; colour photos with the camera
 * noise recipe; the network and patch of the Quick preset (train-presets.ts); 10 epochs of 200 steps.
 * TrainConfig's defaults below are these (and type-check them), so the app and the CLI cannot drift apart again.
 */
export const DEFAULT_RECIPE = {
  arch: 'dcae-res-nl',
  channels: 3,
  noise: CAMERA_NOISE_RECIPE,
  patch: 48,
  batch: 16,
  lr: 0.002,
  epochs: 10,
  stepsPerEpoch: 200,
} as const;

/** True for the camera recipe (or any noise with a camera part): a training config's, or a card's. */
export function isCameraNoise(noise: { type: string; parts?: readonly Record<string, unknown>[] }): boolean {
  const camera = (type: unknown): boolean => type === 'camera' || type === 'camera-profile';
  return camera(noise.type) || (noise.type === 'mixture' && (noise.parts ?? []).some((p) => camera(p['type'])));
}

/** The model id a name gives ("My Photos 2" → "my-photos-2"), as TrainConfig's modelId accepts it; 'model' when nothing is left. */
export function modelIdFromName(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+|-+$/g, '') || 'model'
  );
}

/** Everything a training run is made of; the CLI flags and `train:start` both produce this. */
export const TrainConfig = z.object({
  data: PathString,
  /** A separate validation folder; otherwise `valFraction` of `data` is held out. */
  val: PathString.optional(),
  valFraction: z.number().gt(0).lt(1).default(0.05),
  arch: ArchitectureId.default(DEFAULT_RECIPE.arch),
  channels: z.union([z.literal(1), z.literal(3)]).default(DEFAULT_RECIPE.channels),
  patch: z.number().int().min(16).max(512).multipleOf(4).default(DEFAULT_RECIPE.patch),
  batch: z.number().int().min(1).max(256).default(DEFAULT_RECIPE.batch),
  epochs: z.number().int().min(1).max(100_000).default(DEFAULT_RECIPE.epochs),
  stepsPerEpoch: z.number().int().min(1).max(1_000_000).default(DEFAULT_RECIPE.stepsPerEpoch),
  noise: TrainNoise.default(DEFAULT_RECIPE.noise),
  /** σ at which validation is measured (fixed, seeded noise). */
  valSigma: z.number().min(0).max(255).default(25),
  /**
   * Validate on this camera's fitted noise (seeded, the model told each crop's noise RMS) instead of
   * white noise at `valSigma`: a camera run (`--preset camera`) chooses its best weights, and the
   * int8 guard measures, on the noise the run is for. Real pairs (`--val` with noisy/) keep their own.
   */
  valNoise: CameraProfileNoise.optional(),
  lr: z.number().positive().max(1).default(DEFAULT_RECIPE.lr),
  lrSchedule: z.enum(['cosine', 'step', 'constant']).default('cosine'),
  /** Step schedule: multiply the LR by `lrStepFactor` every `lrStepEpochs` epochs. */
  lrStepEpochs: z.number().int().min(1).default(10),
  lrStepFactor: z.number().gt(0).max(1).default(0.5),
  loss: z.enum(['mse', 'l1']).default('mse'),
  weightDecay: z.number().min(0).max(1).default(0),
  /** Stop after this many epochs without a better validation PSNR (0: never). */
  patience: z.number().int().min(0).default(0),
  /** Also checkpoint every N steps (0: only at epoch ends). */
  checkpointEvery: z.number().int().min(0).default(100),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(1),
  /**
   * What computes the gradients: ONNX Runtime's CPU kernels (auto: when they load; ~9× the tfjs
   * workers here) or tfjs gradient workers on the best tfjs backend.
   */
  runtime: z.enum(['auto', 'onnxruntime', 'tfjs']).default('auto'),
  /**
   * ONNX Runtime's execution provider for the training graph; absent: the CPU (the app's train:start
   * takes Settings → Engine's provider). Under auto a GPU provider that cannot train falls back to the CPU.
   */
  provider: TrainProvider.optional(),
  /** Threads per step: ONNX Runtime intra-op threads, or tfjs gradient workers (0 = one per core). */
  workers: z.number().int().min(0).max(64).default(0),
  /** Validation crops: at most this many images, centre crops of this side. */
  valImages: z.number().int().min(1).max(1000).default(8),
  valCrop: z.number().int().min(16).max(2048).multipleOf(4).default(128),
  out: PathString,
  /** A model folder whose weights start the run (same architecture and channels); fresh optimizer. */
  init: PathString.optional(),
  /**
   * At the run's end, make the model's int8 version (model.int8.onnx, for fast CPU runs), kept only
   * when it scores within INT8_PSNR_TOLERANCE_DB of the float model on the validation crops.
   */
  int8: z.boolean().default(true),
  /** Model id and display name written into card.json. */
  modelId: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/)
    .optional(),
  modelName: pathShaped(z.string().max(128)).optional(),
  /** The command line that started the run, recorded in the card. */
  command: z.string().optional(),
});
export type TrainConfigInput = z.input<typeof TrainConfig>;
export type TrainConfig = z.infer<typeof TrainConfig>;

/**
 * `train:start`: a TrainConfig without the recorded command (the engine writes it); without `out`,
 * the run gets a new folder in Clearframe's runs folder (<data folder>/runs/<model id>), not one
 * among the user's photos. `resume`: continue the run already in `out` (same recipe only); without it
 * a folder holding a run is refused.
 */
export const TrainStartRequest = TrainConfig.omit({ command: true }).extend({
  out: TrainConfig.shape.out.optional(),
  resume: z.boolean().optional(),
});
export type TrainStartInput = z.input<typeof TrainStartRequest>;
/** The run's id and the folder it trains in (the same request with this `out` and `resume` continues it). */
export const TrainStartResponse = z.object({ runId: z.string(), out: z.string() });
/** Run ids are UUIDs; bounded so a hostile client cannot send megabytes of one. */
export const TrainRunRequest = z.object({ runId: z.string().min(1).max(64) }).strict();

export const TrainPhase = z.enum(['loading', 'training', 'validating', 'exporting', 'done', 'stopped', 'failed']);
export type TrainPhase = z.infer<typeof TrainPhase>;

/** `train:progress` events and the `train:status` answer. */
export const TrainProgress = z.object({
  runId: z.string(),
  phase: TrainPhase,
  backend: z.string().optional(),
  workers: z.number().int().optional(),
  step: z.number().int().nonnegative(),
  totalSteps: z.number().int().nonnegative(),
  epoch: z.number().int().nonnegative(),
  loss: z.number().optional(),
  lr: z.number().optional(),
  patchesPerSecond: z.number().optional(),
  etaSeconds: z.number().optional(),
  valPsnr: z.number().optional(),
  valSsim: z.number().optional(),
  /** The noisy input's PSNR on the same validation crops, for comparison. */
  valNoisyPsnr: z.number().optional(),
  bestValPsnr: z.number().optional(),
  /** The starting point's PSNR on the same crops (the validation at step 0): the saved model is never below it. */
  startValPsnr: z.number().optional(),
  /** Fixed validation crop as base64 PNGs, refreshed at each validation. */
  preview: z.object({ noisy: z.string(), denoised: z.string(), clean: z.string() }).optional(),
  skippedFiles: z.array(z.object({ file: z.string(), reason: z.string() })).optional(),
  message: z.string().optional(),
  /** The finished model folder. */
  modelFolder: z.string().optional(),
});
export type TrainProgress = z.infer<typeof TrainProgress>;

/** `train:current`: the running run, else the last one of this engine, with what the Train view shows. */
export const TrainCurrentResponse = z
  .object({
    /** The recipe as it was started (the form shows it, not its defaults). */
    config: TrainStartRequest,
    progress: TrainProgress,
    /** [step, loss] for every step of this session. */
    loss: z.array(z.tuple([z.number(), z.number()])),
    /** [step, PSNR, SSIM, noisy PSNR] for every validation. */
    validations: z.array(z.tuple([z.number(), z.number(), z.number(), z.number().nullable()])),
    /** The latest validation crops. */
    preview: TrainProgress.shape.preview,
  })
  .nullable();
export type TrainCurrentResponse = z.infer<typeof TrainCurrentResponse>;

/** `train:estimate`: how long a recipe takes on this machine, from a few real steps. */
export const TrainEstimateResponse = z.object({
  /** One step, drawing its batch included. */
  secondsPerStep: z.number().nonnegative(),
  /** The whole recipe: its steps, its validations (validation-schedule.ts) with their exports, and the int8 version at the end. */
  totalSeconds: z.number().nonnegative(),
  /** One validation with its export, so a form can cost another step count: totalSeconds = steps × secondsPerStep + validationCount × this + finishSeconds. */
  secondsPerValidation: z.number().nonnegative().optional(),
  /** What the run's end adds (the int8 version). */
  finishSeconds: z.number().nonnegative().optional(),
  backend: z.string(),
});
export type TrainEstimateResponse = z.infer<typeof TrainEstimateResponse>;
