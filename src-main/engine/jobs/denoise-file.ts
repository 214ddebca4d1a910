// One photo, start to finish: decode, denoise tile by tile, write the copy beside it.
import type { OutputFormat } from '../../../src-shared/schemas/denoise.js';
import { denoiseTiled } from '../infer/denoise-tiled.js';
import { decodeImage, DEFAULT_PIXEL_LIMIT } from '../io/decode.js';
import { writeDenoisedImage } from '../io/encode.js';
import { outputFormatFor, outputPathFor } from '../io/output-naming.js';
import { colourChannels } from '../io/pixels.js';
import type { ModelCache } from './model-cache.js';

export interface DenoiseFileOptions {
  modelId?: string;
  strength: number;
  tileSize?: number;
  outputFormat?: OutputFormat;
  outputPattern?: string;
  /** One folder for all outputs (CLI --out); overrides the pattern's folder. */
  outDir?: string;
  jpegQuality?: number;
  pixelLimit?: number;
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

export async function denoiseFile(path: string, models: ModelCache, options: DenoiseFileOptions): Promise<DenoiseFileResult> {
  const { info, pixels } = await decodeImage(path, options.pixelLimit ?? DEFAULT_PIXEL_LIMIT);
  const { model, warning } = await models.get(options.modelId, colourChannels(pixels.channels) === 1 ? 1 : 3);
  const denoiseOptions: Parameters<typeof denoiseTiled>[2] = { strength: options.strength };
  if (options.tileSize !== undefined) denoiseOptions.tileSize = options.tileSize;
  if (options.signal) denoiseOptions.signal = options.signal;
  if (options.onTiles) denoiseOptions.onTile = options.onTiles;
  const denoised = await denoiseTiled(pixels, model, denoiseOptions);
  const format = options.outputFormat ?? outputFormatFor(info.format, info.compression);
  const target = outputPathFor(path, { format, modelId: model.card.id, ...(options.outputPattern ? { pattern: options.outputPattern } : {}), ...(options.outDir ? { outDir: options.outDir } : {}) });
  const outputPath = await writeDenoisedImage(denoised, info, target, { format, ...(options.jpegQuality ? { jpegQuality: options.jpegQuality } : {}) });
  const result = { outputPath, modelId: model.card.id, runtime: `${model.runtime.runtime}:${model.runtime.provider}` };
  return warning ? { ...result, warning } : result;
}
