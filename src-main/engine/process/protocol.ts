// Messages between the main process (EngineClient) and the engine process (engine-main). Validated
// with zod on both sides: a process boundary is a trust boundary like any other.
import { z } from 'zod';
import { ApiError } from '../../../src-shared/contract-core.js';
import { DenoisePreviewRequest, DenoiseQuality, NoiseLevel, OutputFormat } from '../../../src-shared/schemas/denoise.js';
import { DefaultModels } from '../../../src-shared/schemas/models.js';
import { EngineChoice } from '../../../src-shared/schemas/settings.js';

export const EngineInit = z.object({
  shippedDir: z.string(),
  userDir: z.string(),
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

export const ToEngine = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), init: EngineInit }),
  z.object({ type: z.literal('denoise-file'), taskId: z.number().int(), task: DenoiseFileTask }),
  z.object({ type: z.literal('preview'), taskId: z.number().int(), request: DenoisePreviewRequest, defaultModels: DefaultModels.optional(), engine: EngineChoice.optional() }),
  z.object({ type: z.literal('cancel'), taskId: z.number().int() }),
  /** Test hook: makes the engine exit abruptly, as a native crash would. */
  z.object({ type: z.literal('crash-for-test') }),
]);
export type ToEngine = z.infer<typeof ToEngine>;

export const FromEngine = z.union([
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('tiles'), taskId: z.number().int(), done: z.number().int(), total: z.number().int() }),
  z.object({ type: z.literal('result'), taskId: z.number().int(), ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('result'), taskId: z.number().int(), ok: z.literal(false), error: ApiError }),
]);
export type FromEngine = z.infer<typeof FromEngine>;
