// train:start, train:stop, train:status, train:current, train:estimate. Training runs in the engine
// process (EngineWorker's TrainRuns), never here: this module checks that the dataset and output
// folders are folders the user opened, refuses an output folder that holds something else, and
// passes the request on; progress comes back as train:progress events. If the engine process dies
// mid-run, the run ends as failed with the reason and the next train:start starts a fresh engine.
import { ClearframeError } from '../../src-shared/contract-core.js';
import { TrainConfig, trainProviderFromRuntimeSetting } from '../../src-shared/schemas/train.js';
import type { TrainingEngine } from '../engine-client/engine-api.js';
import { assertTrainOutFolder } from '../engine/train/out-folder.js';
import { requireEngine } from './denoise.js';
import { isModelFolderRef } from '../engine/models/model-catalog.js';
import { confineModelRef } from './model-ref.js';
import type { Handlers } from './dispatch.js';
import type { ApiServices } from './services.js';

/** `training`: where runs happen; by default the host's engine process (a test may give a stand-in). */
export function trainHandlers(
  services: ApiServices,
  training?: TrainingEngine,
): Pick<Handlers, 'train:start' | 'train:stop' | 'train:status' | 'train:current' | 'train:estimate'> {
  const engine = (): TrainingEngine => training ?? requireEngine(services).client;
  return {
    'train:start': async (request, context) => {
      const data = await services.access.check(request.data);
      const val = request.val === undefined ? undefined : await services.access.check(request.val);
      const out = await services.access.checkNew(request.out).catch((error: unknown) => {
        throw error instanceof ClearframeError ? new ClearframeError('forbidden', `The output folder must be inside a folder you opened: ${request.out}`, request.out) : error;
      });
      const init = await initFolder(services, request.init);
      // Settings → Engine's provider trains too, unless the request names one.
      const provider = request.provider ?? trainProviderFromRuntimeSetting(services.settings.get().runtime);
      const { resume, ...recipe } = request;
      const config = TrainConfig.parse({
        ...recipe,
        data,
        ...(val ? { val } : {}),
        ...(init ? { init } : {}),
        ...(provider ? { provider } : {}),
        out,
        command: `train:start ${JSON.stringify({ ...recipe, data, out })}`,
      });
      // Checked here as well as in the trainer so that the answer to train:start carries the refusal
      // (and the fresh folder it proposes) instead of a run that fails a moment later. A run folder
      // is continued only when the request asks to resume, and only with that run's recipe.
      await assertTrainOutFolder(out, resume === true ? config : undefined);
      const runId = await engine().startTraining(config, (p) => context.emit('train:progress', p));
      return { runId };
    },
    'train:stop': async ({ runId }) => engine().stopTraining(runId),
    'train:status': async ({ runId }) => engine().trainingStatus(runId),
    'train:current': async () => engine().currentTraining(),
    'train:estimate': async (request) => {
      const init = await initFolder(services, request.init);
      return engine().estimateTraining(TrainConfig.parse({ ...request, ...(init ? { init } : {}) }));
    },
  };
}

/**
 * The model a run starts from (`init`), named over the contract like any model: an installed
 * model's id (answered as its folder, which the trainer reads) or a folder inside the folders the
 * user opened. Never an arbitrary path: the trainer would read a folder the user never chose.
 */
async function initFolder(services: ApiServices, ref: string | undefined): Promise<string | undefined> {
  const confined = await confineModelRef(ref, services.access);
  if (confined === undefined || isModelFolderRef(confined)) return confined;
  return (await requireEngine(services).registry.find(confined)).folder;
}
