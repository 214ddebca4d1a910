// Messages between the main process (EngineClient) and the engine process (engine-main). Validated
// with zod on both sides: a process boundary is a trust boundary like any other.
import { z } from 'zod';
import { ApiError } from '../../../src-shared/contract-core.js';
import { DenoisePreviewRequest } from '../../../src-shared/schemas/denoise.js';
import { DenoiseJob } from '../denoise-job.js';

export const EngineInit = z.object({
  shippedDir: z.string(),
  userDir: z.string(),
});
export type EngineInit = z.infer<typeof EngineInit>;

/** Which part of which photo a preview shows; how to denoise it is the job. */
export const PreviewView = DenoisePreviewRequest.pick({ path: true, region: true, maxSide: true });
export type PreviewView = z.infer<typeof PreviewView>;

export const DenoiseFileOutcome = z.object({ outputPath: z.string(), modelId: z.string(), runtime: z.string(), warning: z.string().optional() });
export type DenoiseFileOutcome = z.infer<typeof DenoiseFileOutcome>;

export const ToEngine = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), init: EngineInit }),
  z.object({ type: z.literal('denoise-file'), taskId: z.number().int(), path: z.string(), job: DenoiseJob }),
  z.object({ type: z.literal('preview'), taskId: z.number().int(), view: PreviewView, job: DenoiseJob }),
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
