// train:start, train:stop, train:status, train:current, train:estimate. Training runs in the engine
// process (EngineWorker's TrainRuns), never here: this module checks that the dataset and output
// folders are folders the user opened, refuses an output folder that holds something else, and
// passes the request on; progress comes back as train:progress events. If the engine process dies
// mid-run, the run ends as failed with the reason and the next train:start starts a fresh engine.
// A request without an output folder trains in a new folder of Clearframe's runs folder
// (<data folder>/runs), which is then opened like a folder the user chose, so its model can be saved.
// Train → Your camera: train:profile-camera profiles a folder in the engine; train:start-camera has
// the engine fit one camera's noise and link its clean photos beside the run, starts the camera run
// (the CLI's --preset camera recipe), and installs its model as the camera's default at the end.
import { mkdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { ClearframeError } from '../../src-shared/contract-core.js';
import {
  cameraModelName,
  cameraTrainConfig,
  PROFILE_MODEL_ID,
  UNKNOWN_CAMERA,
} from '../../src-shared/schemas/camera.js';
import {
  modelIdFromName,
  TrainConfig,
  trainProviderFromRuntimeSetting,
  TrainStartRequest,
} from '../../src-shared/schemas/train.js';
import type { TrainingEngine } from '../engine-client/engine-api.js';
import { assertTrainOutFolder, freshFolderName, inspectTrainOutFolder } from '../engine/contract/out-folder.js';
import { requireEngine } from './denoise.js';
import { isModelFolderRef } from '../engine/contract/model-catalog.js';
import { confineModelRef } from './model-ref.js';
import type { Handlers } from './dispatch.js';
import { expandHome, openFolder } from './library.js';
import type { ApiServices } from './services.js';

/** `training`: where runs happen; by default the host's engine process (a test may give a stand-in). */
export function trainHandlers(
  services: ApiServices,
  training?: TrainingEngine,
): Pick<
  Handlers,
  | 'train:start'
  | 'train:stop'
  | 'train:status'
  | 'train:current'
  | 'train:estimate'
  | 'train:profile-camera'
  | 'train:start-camera'
> {
  const engine = (): TrainingEngine => training ?? requireEngine(services).client;
  return {
    'train:start': async (request, context) => {
      const data = await services.access.check(request.data);
      const val = request.val === undefined ? undefined : await services.access.check(request.val);
      const requestedOut = request.out;
      const out =
        requestedOut === undefined
          ? await newRunFolder(services, request.modelId ?? modelIdFromName(request.modelName ?? 'model'))
          : await services.access.checkNew(requestedOut).catch((error: unknown) => {
              throw error instanceof ClearframeError
                ? new ClearframeError(
                    'forbidden',
                    `The output folder must be inside a folder you opened: ${requestedOut}`,
                    requestedOut,
                  )
                : error;
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
      return { runId, out };
    },
    'train:stop': async ({ runId }) => engine().stopTraining(runId),
    'train:status': async ({ runId }) => engine().trainingStatus(runId),
    'train:current': async () => engine().currentTraining(),
    'train:estimate': async (request) => {
      const init = await initFolder(services, request.init);
      // The estimate writes nothing: a recipe without its folder is costed all the same.
      return engine().estimateTraining(TrainConfig.parse({ out: 'estimate', ...request, ...(init ? { init } : {}) }));
    },
    // The folder of photos (and of clean photos) is picked in the view: picking opens it, as in the library.
    'train:profile-camera': async ({ folder }, context) => {
      const opened = await openFolder(services, expandHome(folder.trim()));
      return requireEngine(services).client.profileCamera(opened, (p) => context.emit('train:camera-progress', p));
    },
    'train:start-camera': async (request, context) => {
      const folder = await services.access.check(request.folder);
      const clean =
        request.clean === undefined ? undefined : await openFolder(services, expandHome(request.clean.trim()));
      const { registry, client } = requireEngine(services);
      const photo = await registry.find(PROFILE_MODEL_ID);
      const name = await freeModelName(services, cameraModelName(photo.card.name, request.camera));
      const out = await newRunFolder(services, modelIdFromName(name));
      const linked = `${out}-clean-photos`;
      await assertTrainOutFolder(out); // before the fit's minutes are spent
      const recipe = await client.cameraRecipe(
        { folder, camera: request.camera, effort: request.fit, ...(clean ? {} : { linkTo: linked }) },
        (p) => context.emit('train:camera-progress', p),
      );
      const provider = trainProviderFromRuntimeSetting(services.settings.get().runtime);
      const { epochs, stepsPerEpoch } = request;
      const recipeConfig = {
        ...cameraTrainConfig(recipe.noise, {
          data: clean ?? linked,
          out,
          init: PROFILE_MODEL_ID,
          measuredRms: recipe.measuredRms,
          baseName: photo.card.name,
        }),
        modelName: name,
        modelId: modelIdFromName(name),
        ...(epochs ? { epochs } : {}),
        ...(stepsPerEpoch ? { stepsPerEpoch } : {}),
        ...(provider ? { provider } : {}),
      };
      const config = TrainConfig.parse({
        ...recipeConfig,
        init: photo.folder,
        command: `train:start-camera ${JSON.stringify(request)}`,
      });
      const runId = await engine().startTraining(config, (p) => {
        if (p.phase !== 'done' || !p.modelFolder) return context.emit('train:progress', p);
        void adoptCameraModel(services, request.camera, p.modelFolder).then((problem) =>
          context.emit('train:progress', problem ? { ...p, message: problem } : p),
        );
      });
      // The recipe as train:start takes it (the start model by id), so that Resume continues this run.
      return { runId, out, config: TrainStartRequest.parse(recipeConfig) };
    },
  };
}

/** `name`, or "name (2)", "name (3)"… when an installed model already has its id (a camera trained again). */
async function freeModelName(services: ApiServices, name: string): Promise<string> {
  const taken = new Set((await requireEngine(services).registry.list()).map((m) => m.card.id));
  let candidate = name;
  for (let n = 2; taken.has(modelIdFromName(candidate)); n++) candidate = `${name} (${n})`;
  return candidate;
}

/**
 * A finished camera run's model joins the user's models and becomes the default for the camera's
 * photos, unless the user already chose a model for that camera (that choice is never replaced
 * without asking: the Train view offers it). Answers what went wrong, or undefined.
 */
async function adoptCameraModel(
  services: ApiServices,
  camera: string,
  modelFolder: string,
): Promise<string | undefined> {
  try {
    const model = await requireEngine(services).registry.importFolder(modelFolder);
    const current = services.settings.get().cameraModels;
    // Photos without an EXIF camera match no mapping: the model is installed, and chosen by hand.
    if (camera !== UNKNOWN_CAMERA && !Object.hasOwn(current, camera))
      await services.settings.set({ cameraModels: { ...current, [camera]: model.card.id } });
    return undefined;
  } catch (error) {
    return `The model was trained but could not be installed: ${(error as Error).message}. Save it from the run's folder.`;
  }
}

/** Opens Clearframe's runs folder (creating it) as a folder the user chose; answers its real path. */
export async function openRunsFolder(services: ApiServices): Promise<string> {
  const runs = requireEngine(services).runsDir;
  await mkdir(runs, { recursive: true });
  await services.access.allow(runs);
  return realpath(runs);
}

/** A new run's folder in the runs folder: <runs>/<model id>, or <model id>-2… when that one is taken (a run with it is resumed by naming it). */
async function newRunFolder(services: ApiServices, modelId: string): Promise<string> {
  const candidate = join(await openRunsFolder(services), modelId);
  const state = await inspectTrainOutFolder(candidate);
  return state.kind === 'absent' || state.kind === 'empty' ? candidate : freshFolderName(candidate);
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
