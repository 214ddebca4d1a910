import { z } from 'zod';
import { ApiError } from '../contract-core.js';
import { PathString } from './common.js';
import { OutputPattern } from './output-pattern.js';

/** Formats denoised copies can be written as (sharp's names). The one list: settings, requests, forms and the engine use it. */
export const OutputFormat = z.enum(['jpeg', 'png', 'tiff', 'webp', 'avif']);
export type OutputFormat = z.infer<typeof OutputFormat>;

/** What the user picks: a format, or 'same' for each original's own format. */
export const OutputFormatChoice = z.enum(['same', ...OutputFormat.options]);
export type OutputFormatChoice = z.infer<typeof OutputFormatChoice>;

export const ModelRef = PathString;

/**
 * The noise level told to noise-level models (the RMS of the noise, 0–255 scale): 'auto' measures it
 * on each photo; a number overrides it (higher removes more). Models without a level input ignore it.
 */
export const NoiseLevelValue = z.number().min(0).max(75);
export const NoiseLevel = z.union([z.literal('auto'), NoiseLevelValue]);
export type NoiseLevel = z.infer<typeof NoiseLevel>;

/** output = original + strength·(denoised − original): 0 leaves the photo as it was. */
export const Strength = z.number().min(0).max(1);

/**
 * Side of the tiles the network sees, in pixels; smaller uses less memory. Requests and the CLI take
 * up to 4096; Settings stops at SETTINGS_TILE_SIZE_MAX (what each path accepted before the bounds
 * were declared here).
 */
export const TILE_SIZE_MIN = 64;
export const TILE_SIZE_MAX = 4096;
export const SETTINGS_TILE_SIZE_MAX = 2048;
/** A tile size schema up to `max` (one bound each: a narrowed schema would report both maxima). */
export function tileSizeUpTo(max: number) {
  return z.number().int().min(TILE_SIZE_MIN).max(max);
}
export const TileSize = tileSizeUpTo(TILE_SIZE_MAX);

/** JPEG quality of denoised copies in a request or a job (Settings asks for at least 50). */
export const JpegQuality = z.number().int().min(1).max(100);

/** 'max' averages the network's answers on the 8 flips/rotations of each tile: a little better, 8× slower. */
export const DenoiseQuality = z.enum(['normal', 'max']);
export type DenoiseQuality = z.infer<typeof DenoiseQuality>;

/** A photo whose denoised copy already exists (the path the output pattern gives for it): left alone, or another copy "name (2)" written. */
export const IfCopyExists = z.enum(['skip', 'write-another']);
export type IfCopyExists = z.infer<typeof IfCopyExists>;

export const DenoiseStartRequest = z
  .object({
    files: z.array(PathString).min(1).max(100_000),
    /** Each file's pixel count as library:open listed it, in the order of `files`: weights progress and the ETA (only those). */
    pixels: z.array(z.number().int().nonnegative()).max(100_000).optional(),
    /** Absent: DEFAULT_IF_COPY_EXISTS ('skip'). */
    ifCopyExists: IfCopyExists.optional(),
    /** A registry model id; absent → the default model for each image's channel count. */
    modelId: ModelRef.optional(),
    /** output = original + strength·(denoised − original). Absent fields here and below: the user's settings. */
    strength: Strength.optional(),
    tileSize: TileSize.optional(),
    outputFormat: OutputFormatChoice.optional(),
    /** Relative to each original's folder; tokens {name}, {ext}, {model}. Default "denoised/{name}.{ext}". */
    outputPattern: OutputPattern.optional(),
    jpegQuality: JpegQuality.optional(),
    noiseLevel: NoiseLevel.optional(),
    quality: DenoiseQuality.optional(),
  })
  .strict();
export type DenoiseStartRequest = z.infer<typeof DenoiseStartRequest>;

export const JobId = z.string().min(1).max(64);
export const DenoiseStartResponse = z.object({ jobId: JobId });

export const DenoiseCancelRequest = z.object({ jobId: JobId }).strict();
/** `cancelled` is false when the job had already finished (or never existed). */
export const DenoiseCancelResponse = z.object({ cancelled: z.boolean() });

export const JobProgress = z.object({
  jobId: JobId,
  /** 0-based index of the file being processed. */
  fileIndex: z.number().int().nonnegative(),
  fileCount: z.number().int().positive(),
  path: z.string(),
  tileDone: z.number().int().nonnegative(),
  tileCount: z.number().int().nonnegative(),
  /** 0..1 of the job's pixels processed (a 12-MP photo weighs 48 of 0.25-MP ones). */
  fraction: z.number().min(0).max(1),
  /** Pixels processed per second since the job started, in millions (0 until there is progress). */
  megapixelsPerSecond: z.number().nonnegative(),
  /** Estimated seconds left for the whole job, from the pixels left; absent until there is a basis for it. */
  etaSeconds: z.number().nonnegative().optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const JobFileDone = z.object({
  jobId: JobId,
  path: z.string(),
  /** The denoised copy: written now, or with `skipped` the one that was already there. */
  outputPath: z.string().optional(),
  /** The photo already had a denoised copy (outputPath) and was left alone ("skip photos that already have one"). */
  skipped: z.boolean().optional(),
  seconds: z.number().nonnegative(),
  /** The model and what ran it ("onnxruntime:cpu", "tfjs:wasm"), for successful files. */
  modelId: z.string().optional(),
  runtime: z.string().optional(),
  error: ApiError.optional(),
  /** Set when the requested (or the user's default) model was unusable and another ran instead. */
  warning: z.string().optional(),
});
export type JobFileDone = z.infer<typeof JobFileDone>;

export const JobDone = z.object({
  jobId: JobId,
  succeeded: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Files left alone because they already had a denoised copy. */
  skipped: z.number().int().nonnegative(),
  /** Files not processed because the job was cancelled (0 when it ran to the end). */
  cancelled: z.number().int().nonnegative(),
});
export type JobDone = z.infer<typeof JobDone>;

export const Region = z.object({
  x: z.number().int().nonnegative(),
  y: z.number().int().nonnegative(),
  width: z.number().int().positive().max(8192),
  height: z.number().int().positive().max(8192),
});
export type Region = z.infer<typeof Region>;

export const DenoisePreviewRequest = z
  .object({
    path: PathString,
    modelId: ModelRef.optional(),
    /** Absent fields here: the user's settings (the tile size and pixel limit come from them too). */
    strength: Strength.optional(),
    /** A 1:1 crop in the upright image's pixels; absent → the whole image scaled to fit maxSide. */
    region: Region.optional(),
    maxSide: z.number().int().min(16).max(8192).default(1024),
    noiseLevel: NoiseLevel.optional(),
    quality: DenoiseQuality.optional(),
  })
  .strict();
export type DenoisePreviewRequest = z.infer<typeof DenoisePreviewRequest>;

export const DenoisePreviewResponse = z.object({
  /** The region actually used (clamped to the image), in the upright image's pixels. */
  region: Region,
  /** Size of the two images below (the region, or the scaled whole image). */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** PNG files, base64: decode with createImageBitmap / <img src="data:image/png;base64,…">. */
  originalPng: z.string(),
  denoisedPng: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  runtime: z.string(),
  milliseconds: z.number().nonnegative(),
  /** The noise level the model was given (measured on the whole photo for Auto); absent for models without a level input. */
  noiseLevel: z.number().nonnegative().optional(),
  /** Set when the requested (or the user's default) model was unusable and another ran instead. */
  warning: z.string().optional(),
});
export type DenoisePreviewResponse = z.infer<typeof DenoisePreviewResponse>;

export const ModelsImportRequest = z
  .object({
    folder: PathString,
    /** Import even when the card says the model scores below the model it started from (otherwise: needs-confirmation, saying by how much). */
    acceptWorse: z.boolean().optional(),
  })
  .strict();
export const ModelsDeleteRequest = z.object({ id: z.string().min(1).max(128) }).strict();
export const ModelsDeleteResponse = z.object({ deleted: z.string() });
