// Messages between the main process (EngineClient) and the engine process (engine-main). Validated
// with zod on both sides: a process boundary is a trust boundary like any other. Tasks carry a
// taskId and are answered by one `result`; a training run also streams `train-progress` under the
// taskId of the train-start that began it, until a final phase (done, stopped, failed).
import { z } from 'zod';
import { ApiError } from '../../../src-shared/contract-core.js';
import { DenoisePreviewRequest, DenoiseQuality, NoiseLevel, OutputFormat } from '../../../src-shared/schemas/denoise.js';
import { BackendInfo } from '../../../src-shared/schemas/app.js';
import { LibraryOpenResponse, ThumbnailResponse } from '../../../src-shared/schemas/library.js';
import { DefaultModels } from '../../../src-shared/schemas/models.js';
import { EngineChoice } from '../../../src-shared/schemas/settings.js';
import { TrainConfig, TrainCurrentResponse, TrainEstimateResponse, TrainProgress } from '../../../src-shared/schemas/train.js';

export const EngineInit = z.object({
  shippedDir: z.string(),
  userDir: z.string(),
  /**
   * The library's thumbnail cache (<data dir>/Thumbnails), chosen by the host like the model folders.
   * Absent where no library is shown (the CLI): thumbnail tasks are then refused.
   */
  thumbnailDir: z.string().optional(),
  pixelLimit: z.number().int().positive().optional(),
});
export type EngineInit = z.infer<typeof EngineInit>;

export const DenoiseFileTask = z.object({
  path: z.string(),
  modelId: z.string().optional(),
  defaultModels: DefaultModels.optional(),
  engine: EngineChoice.optional(),
  strength: z.number().min(0).max(1),
  tileSize: z.number().int().positive().optional(),
  outputFormat: OutputFormat.optional(),
  outputPattern: z.string().optional(),
  outDir: z.string().optional(),
  allowedOutputRoots: z.array(z.string()).optional(),
  jpegQuality: z.number().int().min(1).max(100).optional(),
  keepMetadata: z.boolean().optional(),
  pixelLimit: z.number().int().positive().optional(),
  noiseLevel: NoiseLevel.optional(),
  quality: DenoiseQuality.optional(),
});
export type DenoiseFileTask = z.infer<typeof DenoiseFileTask>;

export const DenoiseFileOutcome = z.object({ outputPath: z.string(), modelId: z.string(), runtime: z.string(), warning: z.string().optional() });
export type DenoiseFileOutcome = z.infer<typeof DenoiseFileOutcome>;

/** A thumbnail as the engine answers it: the encoded bytes, not base64 (the api encodes for the contract). */
export const ThumbnailImage = z.object({
  mime: ThumbnailResponse.shape.mime,
  data: z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected the encoded bytes'),
  width: z.number().int(),
  height: z.number().int(),
});
export type ThumbnailImage = z.infer<typeof ThumbnailImage>;

/** The engine's part of app:info: its native libraries' versions and the backends it can run. */
export const EngineInfo = z.object({ versions: z.record(z.string(), z.string()), backends: z.array(BackendInfo) });
export type EngineInfo = z.infer<typeof EngineInfo>;

export { LibraryOpenResponse, TrainCurrentResponse, TrainEstimateResponse, TrainProgress };

const task = { taskId: z.number().int() };

export const ToEngine = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), init: EngineInit }),
  z.object({ type: z.literal('denoise-file'), taskId: z.number().int(), task: DenoiseFileTask }),
  z.object({ type: z.literal('preview'), taskId: z.number().int(), request: DenoisePreviewRequest, defaultModels: DefaultModels.optional(), engine: EngineChoice.optional() }),
  z.object({ type: z.literal('thumbnail'), ...task, path: z.string(), size: z.number().int().positive() }),
  z.object({ type: z.literal('scan'), ...task, folder: z.string(), recursive: z.boolean() }),
  z.object({ type: z.literal('info'), ...task }),
  z.object({ type: z.literal('train-start'), ...task, config: TrainConfig }),
  z.object({ type: z.literal('train-stop'), ...task, runId: z.string() }),
  z.object({ type: z.literal('train-status'), ...task, runId: z.string() }),
  z.object({ type: z.literal('train-current'), ...task }),
  z.object({ type: z.literal('train-estimate'), ...task, config: TrainConfig }),
  z.object({ type: z.literal('cancel'), taskId: z.number().int() }),
  /** Test hook: makes the engine exit abruptly, as a native crash would. */
  z.object({ type: z.literal('crash-for-test') }),
]);
export type ToEngine = z.infer<typeof ToEngine>;

export const FromEngine = z.union([
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('tiles'), taskId: z.number().int(), done: z.number().int(), total: z.number().int() }),
  /** A training run's progress; taskId is its train-start's. */
  z.object({ type: z.literal('train-progress'), taskId: z.number().int(), progress: TrainProgress }),
  z.object({ type: z.literal('result'), taskId: z.number().int(), ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('result'), taskId: z.number().int(), ok: z.literal(false), error: ApiError }),
]);
export type FromEngine = z.infer<typeof FromEngine>;
