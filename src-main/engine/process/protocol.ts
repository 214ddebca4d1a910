// Messages between the main process (EngineClient) and the engine process (engine-main). Validated
// with zod on both sides: a process boundary is a trust boundary like any other. Tasks carry a
// taskId and are answered by one `result`; a training run also streams `train-progress` under the
// taskId of the train-start that began it, until a final phase (done, stopped, failed).
import { z } from 'zod';
import { ApiError } from '../../../src-shared/contract-core.js';
import { DenoisePreviewRequest } from '../../../src-shared/schemas/denoise.js';
import { BackendInfo, InferenceReport } from '../../../src-shared/schemas/app.js';
import { EngineChoice } from '../../../src-shared/schemas/settings.js';
import { LibraryOpenResponse, ThumbnailResponse } from '../../../src-shared/schemas/library.js';
import { CameraProfileNoise, TrainConfig, TrainCurrentResponse, TrainEstimateResponse, TrainProgress } from '../../../src-shared/schemas/train.js';
import { CameraFitEffort, CameraProfileResponse, CameraProgress } from '../../../src-shared/schemas/camera.js';
import { DenoiseJob, ScanOutputs } from '../denoise-job.js';

export const EngineInit = z.object({
  shippedDir: z.string(),
  userDir: z.string(),
  /**
   * The library's thumbnail cache (<data dir>/Thumbnails), chosen by the host like the model folders.
   * Absent where no library is shown (the CLI): thumbnail tasks are then refused.
   */
  thumbnailDir: z.string().optional(),
});
export type EngineInit = z.infer<typeof EngineInit>;

/** Which part of which photo a preview shows; how to denoise it is the job. */
export const PreviewView = DenoisePreviewRequest.pick({ path: true, region: true, maxSide: true });
export type PreviewView = z.infer<typeof PreviewView>;

/** One file's denoise: its output (with `skipped`, the copy that was already there), and the photo's pixel count for the batch's speed and ETA. */
export const DenoiseFileOutcome = z.object({
  outputPath: z.string(),
  modelId: z.string(),
  runtime: z.string(),
  pixels: z.number().int().nonnegative(),
  skipped: z.boolean().optional(),
  warning: z.string().optional(),
});
export type DenoiseFileOutcome = z.infer<typeof DenoiseFileOutcome>;

export const OutputState = z.enum(['whole', 'removed', 'missing', 'unreadable']);
export type OutputState = z.infer<typeof OutputState>;

/** A thumbnail as the engine answers it: the encoded bytes, not base64 (the api encodes for the contract). */
export const ThumbnailImage = z.object({
  mime: ThumbnailResponse.shape.mime,
  data: z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected the encoded bytes'),
  width: z.number().int(),
  height: z.number().int(),
});
export type ThumbnailImage = z.infer<typeof ThumbnailImage>;

/**
 * The engine's part of app:info: its native libraries' versions, the backends it can run (GPU
 * providers tried for real) and what runs the default model under the Settings → Engine choice.
 */
export const EngineInfo = z.object({ versions: z.record(z.string(), z.string()), backends: z.array(BackendInfo), inference: InferenceReport.optional() });
export type EngineInfo = z.infer<typeof EngineInfo>;

/** A camera's fitted noise, for a Your-camera run (noise-profile/camera-profiler.ts). */
export const CameraRecipe = z.object({
  noise: CameraProfileNoise,
  measuredRms: z.number(),
  /** The fit's remaining distance (0: the synthetic noise measures as the photos do). */
  distance: z.number(),
});
export type CameraRecipe = z.infer<typeof CameraRecipe>;

/** Which folder and camera to fit, how hard, and where to link its clean photos (absent: the run learns from a folder the user chose). */
export const CameraRecipeRequest = z.object({ folder: z.string(), camera: z.string(), effort: CameraFitEffort, linkTo: z.string().optional() });
export type CameraRecipeRequest = z.infer<typeof CameraRecipeRequest>;

export { CameraProfileResponse, LibraryOpenResponse, TrainCurrentResponse, TrainEstimateResponse, TrainProgress };

const task = { taskId: z.number().int() };

export const ToEngine = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), init: EngineInit }),
  z.object({ type: z.literal('denoise-file'), ...task, path: z.string(), job: DenoiseJob }),
  z.object({ type: z.literal('preview'), ...task, view: PreviewView, job: DenoiseJob }),
  z.object({ type: z.literal('thumbnail'), ...task, path: z.string(), size: z.number().int().positive() }),
  /** After a crash: is the output a dead engine announced there, and whole? (check-output.ts) */
  z.object({ type: z.literal('check-output'), ...task, path: z.string() }),
  z.object({ type: z.literal('scan'), ...task, folder: z.string(), recursive: z.boolean(), outputs: ScanOutputs.optional() }),
  z.object({ type: z.literal('info'), ...task, engine: EngineChoice.optional() }),
  z.object({ type: z.literal('train-start'), ...task, config: TrainConfig }),
  z.object({ type: z.literal('train-stop'), ...task, runId: z.string() }),
  z.object({ type: z.literal('train-status'), ...task, runId: z.string() }),
  z.object({ type: z.literal('train-current'), ...task }),
  z.object({ type: z.literal('train-estimate'), ...task, config: TrainConfig }),
  /** Train → Your camera: profile a folder (streams camera-progress), then fit one camera's noise and link its clean photos to `linkTo`. */
  z.object({ type: z.literal('camera-profile'), ...task, folder: z.string() }),
  CameraRecipeRequest.extend({ type: z.literal('camera-recipe'), ...task }),
  z.object({ type: z.literal('cancel'), taskId: z.number().int() }),
  /** Stop as on a signal: a training run checkpoints and saves its model, then the process exits. */
  z.object({ type: z.literal('shutdown') }),
  /** Test hook: makes the engine exit abruptly, as a native crash would. */
  z.object({ type: z.literal('crash-for-test') }),
]);
export type ToEngine = z.infer<typeof ToEngine>;

export const FromEngine = z.union([
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('tiles'), taskId: z.number().int(), done: z.number().int(), total: z.number().int() }),
  /** A denoise-file's output path, sent just before the finished file is moved there. */
  z.object({ type: z.literal('output'), taskId: z.number().int(), path: z.string() }),
  /** A camera-profile's or camera-recipe's progress. */
  z.object({ type: z.literal('camera-progress'), taskId: z.number().int(), progress: CameraProgress }),
  /** A training run's progress; taskId is its train-start's. */
  z.object({ type: z.literal('train-progress'), taskId: z.number().int(), progress: TrainProgress }),
  z.object({ type: z.literal('result'), taskId: z.number().int(), ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('result'), taskId: z.number().int(), ok: z.literal(false), error: ApiError }),
]);
export type FromEngine = z.infer<typeof FromEngine>;
