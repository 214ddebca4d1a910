// What one denoise job (a batch, or a preview) asks of the engine, declared once. The API resolves a
// request plus the user's settings into a DenoiseJob (api/resolve-denoise-job.ts); the queue, the engine
// client, the protocol, the engine worker, denoiseFile and the preview pass it on unchanged, each
// taking the parts it needs. It crosses the process boundary, so it is a zod schema.
import { z } from 'zod';
import {
  DenoiseQuality,
  IfCopyExists,
  JpegQuality,
  NoiseLevel,
  OutputFormat,
  Strength,
  TileSize,
} from '../../../src-shared/schemas/denoise.js';
import { DefaultModels } from '../../../src-shared/schemas/models.js';
import { CameraModels, EngineChoice } from '../../../src-shared/schemas/settings.js';

export const DenoiseJob = z.object({
  /** A registry id or a model folder; absent → `defaultModels`, else the automatic choice. */
  modelId: z.string().optional(),
  /** The user's default model per channel count, for a job that names no model. */
  defaultModels: DefaultModels.optional(),
  /** Settings' per-camera defaults: a colour photo from one of these cameras (by EXIF) uses its model when `modelId` is absent (jobs/photo-model.ts). */
  cameraModels: CameraModels.optional(),
  /** Settings → Engine (runtime, threads); absent = automatic. */
  engine: EngineChoice.optional(),
  /** output = original + strength·(denoised − original). */
  strength: Strength,
  /** Side of the tiles the network sees; absent → the engine's default. */
  tileSize: TileSize.optional(),
  /** Absent or 'auto' (DEFAULT_NOISE_LEVEL): measured on each photo. */
  noiseLevel: NoiseLevel.optional(),
  quality: DenoiseQuality.optional(),
  /** Refuse images above this many pixels; absent → the shared default. */
  pixelLimit: z.number().int().positive().optional(),
  /** Absent: the original's format. */
  outputFormat: OutputFormat.optional(),
  /** Relative to each original's folder; absent → the default pattern. */
  outputPattern: z.string().optional(),
  /**
   * A photo whose copy already exists (by the naming rule): 'skip' it, or 'write-another' for "name (2)".
   * Absent (the CLI) writes another; the app's requests arrive resolved (DEFAULT_IF_COPY_EXISTS, 'skip').
   */
  ifCopyExists: IfCopyExists.optional(),
  /** One folder for every output (CLI --out); overrides the pattern's folder. */
  outDir: z.string().optional(),
  /** Real paths of the folders outputs may land in (the app's opened folders); absent → anywhere (the CLI). */
  allowedOutputRoots: z.array(z.string()).optional(),
  jpegQuality: JpegQuality.optional(),
  /** Carry EXIF/XMP over to the outputs (default true). */
  keepMetadata: z.boolean().optional(),
});
export type DenoiseJob = z.infer<typeof DenoiseJob>;

/**
 * The part of a job a folder scan needs to tell which photos already have a denoised copy (the
 * library's badges, from disk) and which subfolders are outputs (left out of a recursive listing).
 */
export const ScanOutputs = DenoiseJob.pick({ outputPattern: true, outputFormat: true, defaultModels: true });
export type ScanOutputs = z.infer<typeof ScanOutputs>;
