// One photo, start to finish: decode, denoise tile by tile, write the copy beside it.
import { access, constants } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ClearframeError } from '../../../src-shared/contract-core.js';
import { AllowedFolders } from '../../access/allowed-folders.js';
import type { DenoiseQuality, NoiseLevel, OutputFormat } from '../../../src-shared/schemas/denoise.js';
import type { DefaultModels } from '../../../src-shared/schemas/models.js';
import type { EngineChoice } from '../../../src-shared/schemas/settings.js';
import { denoiseTiled } from '../infer/denoise-tiled.js';
import { runtimeLabel } from '../infer/runtime.js';
import { decodeImage, DEFAULT_PIXEL_LIMIT } from '../io/decode.js';
import { writeDenoisedImage } from '../io/encode.js';
import { outputFormatFor, outputPathFor } from '../io/output-naming.js';
import { colourChannels } from '../io/pixels.js';
import type { ModelCache } from './model-cache.js';

export interface DenoiseFileOptions {
  modelId?: string;
  /** The user's default model per channel count, used when `modelId` is absent. */
  defaultModels?: DefaultModels;
  /** Settings → Engine (runtime, threads); absent = automatic. */
  engine?: EngineChoice;
  strength: number;
  tileSize?: number;
  outputFormat?: OutputFormat;
  outputPattern?: string;
  /** One folder for all outputs (CLI --out); overrides the pattern's folder. */
  outDir?: string;
  /**
   * Real paths of the folders outputs may land in (the folders the user opened in the app); absent
   * → anywhere (the CLI, where the user typed the paths).
   */
  allowedOutputRoots?: readonly string[];
  jpegQuality?: number;
  /** Carry EXIF/XMP over to the output (the keepMetadata setting; default true). */
  keepMetadata?: boolean;
  pixelLimit?: number;
  /** Absent or 'auto': measured on the photo. */
  noiseLevel?: NoiseLevel;
  quality?: DenoiseQuality;
  signal?: AbortSignal;
  onTiles?: (done: number, total: number) => void;
}

export interface DenoiseFileResult {
  outputPath: string;
  modelId: string;
  /** "onnxruntime:cpu", "tfjs:wasm"…: what actually ran the network. */
  runtime: string;
  warning?: string;
}

/** Fails fast when the output folder (or, while it does not exist yet, its nearest parent) cannot be written. */
async function assertWritableFolder(dir: string): Promise<void> {
  for (let folder = dir; ; folder = dirname(folder)) {
    try {
      await access(folder, constants.W_OK);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && dirname(folder) !== folder) continue;
      const why = code === 'EROFS' ? 'it is on a read-only disk' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? 'unknown error');
      throw new ClearframeError('io', `The output folder ${dir} cannot be written (${why}); choose another output folder.`, dir);
    }
  }
}

/**
 * The real folder `dir` stands for, refused when it leads outside `roots`: a `denoised/` that is a
 * symbolic link to elsewhere must not receive outputs, nor have temp files cleaned up in it.
 */
async function confinedOutputFolder(dir: string, roots: readonly string[] | undefined): Promise<string> {
  if (roots === undefined) return dir;
  const access = new AllowedFolders();
  for (const root of roots) await access.allow(root).catch(() => undefined); // a folder gone since: allows nothing
  try {
    return await access.checkNew(dir);
  } catch {
    throw new ClearframeError('forbidden', `The output folder ${dir} leads outside the folders you opened (a symbolic link?); nothing was written there.`, dir);
  }
}

export async function denoiseFile(path: string, models: ModelCache, options: DenoiseFileOptions): Promise<DenoiseFileResult> {
  // Before any pixel work: a read-only output folder should not cost a full denoise per photo.
  const plannedOutput = outputPathFor(path, { format: options.outputFormat ?? 'png', modelId: options.modelId ?? 'default', ...(options.outputPattern ? { pattern: options.outputPattern } : {}), ...(options.outDir ? { outDir: options.outDir } : {}) });
  await assertWritableFolder(await confinedOutputFolder(dirname(plannedOutput), options.allowedOutputRoots));
  const { info, pixels } = await decodeImage(path, options.pixelLimit ?? DEFAULT_PIXEL_LIMIT);
  const { model, warning } = await models.get(options.modelId, colourChannels(pixels.channels) === 1 ? 1 : 3, options.defaultModels, options.engine);
  const denoiseOptions: Parameters<typeof denoiseTiled>[2] = { strength: options.strength, ensemble: options.quality === 'max' };
  if (typeof options.noiseLevel === 'number') denoiseOptions.noiseSigma = options.noiseLevel;
  if (options.tileSize !== undefined) denoiseOptions.tileSize = options.tileSize;
  if (options.signal) denoiseOptions.signal = options.signal;
  if (options.onTiles) denoiseOptions.onTile = options.onTiles;
  const denoised = await denoiseTiled(pixels, model, denoiseOptions);
  const format = options.outputFormat ?? outputFormatFor(info.format, info.compression);
  const target = outputPathFor(path, { format, modelId: model.card.id, ...(options.outputPattern ? { pattern: options.outputPattern } : {}), ...(options.outDir ? { outDir: options.outDir } : {}) });
  // Checked again on the final name ({model} in the pattern may name another folder), and written
  // through the real folder so that a link swapped in meanwhile is not followed.
  const realTarget = join(await confinedOutputFolder(dirname(target), options.allowedOutputRoots), basename(target));
  const outputPath = await writeDenoisedImage(denoised, info, realTarget, { format, ...(options.jpegQuality ? { jpegQuality: options.jpegQuality } : {}), ...(options.keepMetadata === undefined ? {} : { keepMetadata: options.keepMetadata }) });
  const result = { outputPath, modelId: model.card.id, runtime: runtimeLabel(model.runtime) };
  const warnings = [...(warning ? [warning] : []), ...info.warnings];
  return warnings.length ? { ...result, warning: warnings.join(' ') } : result;
}
