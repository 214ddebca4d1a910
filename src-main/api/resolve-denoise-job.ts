// The one place where a denoise or preview request meets the user's settings: every field the
// request leaves out takes the setting's value here, and nowhere else (the renderer sends only what
// the user chose; the engine receives the resolved DenoiseJob and applies no settings of its own).
import { DEFAULT_IF_COPY_EXISTS } from '../../src-shared/denoise-defaults.js';
import type { DenoisePreviewRequest, DenoiseStartRequest } from '../../src-shared/schemas/denoise.js';
import { outputPatternForFolder } from '../../src-shared/schemas/output-pattern.js';
import type { Settings } from '../../src-shared/schemas/settings.js';
import type { DenoiseJob } from '../engine/contract/denoise-job.js';

/** What a request may choose: the start request's fields (a preview's are a subset). */
export type DenoiseChoices =
  Omit<DenoiseStartRequest, 'files' | 'pixels'> | Omit<DenoisePreviewRequest, 'path' | 'region' | 'maxSide'>;

/** `choices` with the settings' values for whatever they leave out. The model id must already be confined. */
export function resolveDenoiseJob(choices: DenoiseChoices, settings: Settings): DenoiseJob {
  const start: Partial<Omit<DenoiseStartRequest, 'files' | 'pixels'>> = choices;
  const outputFormat = start.outputFormat ?? settings.outputFormat;
  return {
    ...(choices.modelId === undefined ? {} : { modelId: choices.modelId }),
    defaultModels: { grey: settings.defaultModelGrey, colour: settings.defaultModelColour },
    cameraModels: settings.cameraModels,
    engine: { runtime: settings.runtime, threads: settings.threads },
    strength: choices.strength ?? settings.strength,
    tileSize: start.tileSize ?? settings.tileSize,
    noiseLevel: choices.noiseLevel ?? settings.noiseLevel,
    quality: choices.quality ?? settings.quality,
    pixelLimit: settings.maxPixels,
    ...(outputFormat === 'same' ? {} : { outputFormat }),
    outputPattern: start.outputPattern ?? outputPatternForFolder(settings.outputFolderPattern),
    jpegQuality: start.jpegQuality ?? settings.jpegQuality,
    ifCopyExists: start.ifCopyExists ?? DEFAULT_IF_COPY_EXISTS,
    keepMetadata: settings.keepMetadata,
  };
}
