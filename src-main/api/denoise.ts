// denoise:start / denoise:cancel / denoise:preview. Files must lie in folders the user opened;
// outputs are written beside them (inside the same opened folder). Defaults the request leaves
// out come from the settings (resolveDenoiseJob), the default model per channel count among them:
// the engine is told the user's choice with each task rather than reading the settings itself.
import { ClearframeError } from '../../src-shared/contract-core.js';
import { resolveDenoiseJob } from './resolve-denoise-job.js';
import type { EventPayload } from '../../src-shared/contract.js';
import type { Handlers, RequestContext } from './dispatch.js';
import { confineModelRef } from './model-ref.js';
import type { ApiServices } from './services.js';
import type { EngineServices } from '../engine-client/engine-services.js';

export function requireEngine(services: ApiServices): EngineServices {
  if (!services.engine) throw new ClearframeError('unsupported', 'This host runs without the denoising engine.');
  return services.engine;
}

/** Passes a job's events on, writing down which photos failed (and forgetting them once one works). */
function rememberingFailures(engine: EngineServices, emit: RequestContext['emit']): RequestContext['emit'] {
  return (event, payload) => {
    if (event === 'job:file-done') {
      const done = payload as EventPayload<'job:file-done'>;
      if (done.error && done.error.code !== 'cancelled') void engine.failures.record(done.path, done.error.message);
      else if (!done.error) void engine.failures.clear(done.path);
    }
    emit(event, payload);
  };
}

export function denoiseHandlers(
  services: ApiServices,
): Pick<Handlers, 'denoise:start' | 'denoise:cancel' | 'denoise:preview'> {
  return {
    'denoise:start': async (request, context) => {
      const engine = requireEngine(services);
      // A file outside the opened folders refuses the request; one that is missing (deleted, on a
      // card pulled out) fails alone when its turn comes, checked again then, as every file is.
      const files = await Promise.all(
        request.files.map((f) =>
          services.access.check(f).catch((error: unknown) => {
            if (error instanceof ClearframeError && error.code === 'not-found') return f;
            throw error;
          }),
        ),
      );
      const { files: _requested, pixels, ...choices } = request;
      const modelId = await confineModelRef(request.modelId, services.access);
      const job = resolveDenoiseJob(
        { ...choices, ...(modelId === undefined ? {} : { modelId }) },
        services.settings.get(),
      );
      if (job.outputPattern?.split(/[\\/]/).includes('..')) {
        throw new ClearframeError(
          'forbidden',
          'The output pattern may not leave the photo’s folder (“..”).',
          'outputPattern',
        );
      }
      const jobId = engine.jobs.start(
        files,
        { ...job, allowedOutputRoots: [...services.access.folders()] },
        rememberingFailures(engine, context.emit),
        {
          checkFile: (f) => services.access.check(f),
          ...(pixels ? { pixels } : {}),
        },
      );
      return { jobId };
    },
    'denoise:cancel': async ({ jobId }) => ({ cancelled: requireEngine(services).jobs.cancel(jobId) }),
    'denoise:preview': async (request) => {
      const engine = requireEngine(services);
      const path = await services.access.check(request.path);
      const { path: _requested, region, maxSide, ...choices } = request;
      const modelId = await confineModelRef(request.modelId, services.access);
      const job = resolveDenoiseJob(
        { ...choices, ...(modelId === undefined ? {} : { modelId }) },
        services.settings.get(),
      );
      return engine.client.preview({ path, maxSide, ...(region ? { region } : {}) }, job).result;
    },
  };
}
