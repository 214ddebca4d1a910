// denoise:start / denoise:cancel / denoise:preview. Files must lie in folders the user opened;
// outputs are written beside them (inside the same opened folder). Defaults the request leaves
// out come from the settings, the default model per channel count among them: the engine is told
// the user's choice with each task rather than reading the settings itself.
import { ClearframeError } from '../../src-shared/contract-core.js';
import type { DefaultModels } from '../../src-shared/schemas/models.js';
import type { EngineChoice, Settings } from '../../src-shared/schemas/settings.js';
import type { Handlers } from './dispatch.js';
import { confineModelRef } from './model-ref.js';
import type { ApiServices } from './services.js';
import type { EngineServices } from '../engine-client/engine-services.js';

export function requireEngine(services: ApiServices): EngineServices {
  if (!services.engine) throw new ClearframeError('unsupported', 'This host runs without the denoising engine.');
  return services.engine;
}

function defaultModelsFrom(settings: Settings): DefaultModels {
  return { grey: settings.defaultModelGrey, colour: settings.defaultModelColour };
}

function engineChoiceFrom(settings: Settings): EngineChoice {
  return { runtime: settings.runtime, threads: settings.threads };
}

export function denoiseHandlers(services: ApiServices): Pick<Handlers, 'denoise:start' | 'denoise:cancel' | 'denoise:preview'> {
  return {
    'denoise:start': async (request, context) => {
      const engine = requireEngine(services);
      // A file outside the opened folders refuses the request; one that is missing (deleted, on a
      // card pulled out) fails alone when its turn comes, checked again then, as every file is.
      const files = await Promise.all(
        request.files.map((f) => services.access.check(f).catch((error: unknown) => {
          if (error instanceof ClearframeError && error.code === 'not-found') return f;
          throw error;
        })),
      );
      const modelId = await confineModelRef(request.modelId, services.access);
      const settings = services.settings.get();
      const filled = {
        ...request,
        ...(modelId === undefined ? {} : { modelId }),
        files,
        tileSize: request.tileSize ?? settings.tileSize,
        jpegQuality: request.jpegQuality ?? settings.jpegQuality,
        noiseLevel: request.noiseLevel ?? settings.noiseLevel,
        quality: request.quality ?? settings.quality,
        outputPattern: request.outputPattern ?? `${settings.outputFolderPattern}/{name}.{ext}`,
        ...(request.outputFormat ?? (settings.outputFormat === 'same' ? undefined : settings.outputFormat)
          ? { outputFormat: request.outputFormat ?? (settings.outputFormat as Exclude<typeof settings.outputFormat, 'same'>) }
          : {}),
      };
      if (filled.outputPattern.split(/[\\/]/).includes('..')) {
        throw new ClearframeError('forbidden', 'The output pattern may not leave the photo’s folder (“..”).', 'outputPattern');
      }
      const jobId = engine.jobs.start(filled, context.emit, undefined, { pixelLimit: settings.maxPixels, defaultModels: defaultModelsFrom(settings), keepMetadata: settings.keepMetadata, allowedOutputRoots: [...services.access.folders()], checkFile: (f) => services.access.check(f), engine: engineChoiceFrom(settings) });
      return { jobId };
    },
    'denoise:cancel': async ({ jobId }) => ({ cancelled: requireEngine(services).jobs.cancel(jobId) }),
    'denoise:preview': async (request) => {
      const engine = requireEngine(services);
      const path = await services.access.check(request.path);
      const settings = services.settings.get();
      const modelId = await confineModelRef(request.modelId, services.access);
      const filled = { ...request, path, ...(modelId === undefined ? {} : { modelId }), noiseLevel: request.noiseLevel ?? settings.noiseLevel, quality: request.quality ?? settings.quality };
      return engine.client.preview(filled, defaultModelsFrom(settings), engineChoiceFrom(settings)).result;
    },
  };
}
