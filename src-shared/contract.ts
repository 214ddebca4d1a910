// The one contract between the renderer and the main process. Every channel and every push event
// is declared here once; Electron's preload, ipcMain handlers, the browser host's WebSocket and the
// renderer's client are all generic over these two maps. Adding a channel = one entry here + one
// handler in src-main/api/.
import { z } from 'zod';
import { channel, type ChannelSpec } from './contract-core.js';
import {
  AppInfo,
  AppView,
  OpenFolderDialogResponse,
  ShowInFolderRequest,
  ShowInFolderResponse,
} from './schemas/app.js';
import { LibraryOpenRequest, LibraryOpenResponse, ThumbnailRequest, ThumbnailResponse } from './schemas/library.js';
import {
  DenoiseCancelRequest,
  DenoiseCancelResponse,
  DenoisePreviewRequest,
  DenoisePreviewResponse,
  DenoiseStartRequest,
  DenoiseStartResponse,
  JobDone,
  JobFileDone,
  JobProgress,
  ModelsDeleteRequest,
  ModelsDeleteResponse,
  ModelsImportRequest,
} from './schemas/denoise.js';
import { ModelSummary } from './schemas/models.js';
import { Settings, SettingsPatch } from './schemas/settings.js';
import {
  CameraProfileRequest,
  CameraProfileResponse,
  CameraProgress,
  CameraTrainRequest,
  CameraTrainResponse,
} from './schemas/camera.js';
import {
  TrainCurrentResponse,
  TrainEstimateResponse,
  TrainProgress,
  TrainRunRequest,
  TrainStartRequest,
  TrainStartResponse,
} from './schemas/train.js';

const Empty = z.object({}).strict();

export const channels = {
  'app:info': channel(Empty, AppInfo, 'Version, platform and the engine backends this machine has.'),
  'dialog:openFolder': channel(
    Empty,
    OpenFolderDialogResponse,
    "The native folder picker (Electron only; the browser host answers 'unsupported': type a path instead).",
  ),
  'app:showInFolder': channel(
    ShowInFolderRequest,
    ShowInFolderResponse,
    "Reveal an output in the system's file manager (Electron only; the browser host answers 'unsupported': show the path to copy instead).",
  ),
  'library:open': channel(
    LibraryOpenRequest,
    LibraryOpenResponse,
    'Open a folder: list its images with size, dimensions, format and bit depth; remember it as allowed.',
  ),
  'library:thumbnail': channel(ThumbnailRequest, ThumbnailResponse, 'A small cached preview of one image.'),
  'settings:get': channel(Empty, Settings, 'All settings, defaults filled in.'),
  'settings:set': channel(SettingsPatch, Settings, 'Change some settings; answers the whole new settings.'),
  'train:start': channel(
    TrainStartRequest,
    TrainStartResponse,
    'Start training a model on a folder of images; progress arrives as train:progress.',
  ),
  'train:stop': channel(
    TrainRunRequest,
    TrainProgress,
    'Stop a training run after a checkpoint (resumable); answers its last progress.',
  ),
  'train:status': channel(TrainRunRequest, TrainProgress, 'The latest progress of a training run.'),
  'train:current': channel(
    Empty,
    TrainCurrentResponse,
    'The running (or last) training run: its recipe, progress, charts and previews; null when none ran.',
  ),
  'train:estimate': channel(
    TrainStartRequest,
    TrainEstimateResponse,
    'How long a recipe would take on this machine, measured with a few real training steps (refused while a run trains).',
  ),
  'train:profile-camera': channel(
    CameraProfileRequest,
    CameraProfileResponse,
    "Train → Your camera: the cameras in a folder of the user's photos (EXIF), their ISOs, noise-level curves and clean photos; progress arrives as train:camera-progress.",
  ),
  'train:start-camera': channel(
    CameraTrainRequest,
    CameraTrainResponse,
    "Fit the training noise to one camera of a profiled folder, then fine-tune the photo model on its clean photos; the model, named after the camera, becomes that camera's default when none is set.",
  ),
  'denoise:start': channel(
    DenoiseStartRequest,
    DenoiseStartResponse,
    'Queue a batch of photos; progress arrives as job:progress, job:file-done and job:done.',
  ),
  'denoise:cancel': channel(
    DenoiseCancelRequest,
    DenoiseCancelResponse,
    'Stop a batch within one tile; no partial files are left.',
  ),
  'denoise:preview': channel(
    DenoisePreviewRequest,
    DenoisePreviewResponse,
    'Original and denoised PNGs of one region (or the whole photo scaled down) for the compare view.',
  ),
  'models:list': channel(Empty, z.array(ModelSummary), 'Shipped and user models that are valid.'),
  'models:import': channel(
    ModelsImportRequest,
    ModelSummary,
    'Copy a model folder (card.json + model.onnx/model.json) into the user models.',
  ),
  'models:delete': channel(
    ModelsDeleteRequest,
    ModelsDeleteResponse,
    'Delete a user model (shipped models cannot be deleted).',
  ),
} as const satisfies Record<string, ChannelSpec>;

/** Push events from main to the renderer (progress and completion of long work). */
export const events = {
  /** Open this folder in the library (menu picker, a second launch, "Open with"); `select`: the photo named, to select in it. */
  'app:openFolder': z.object({ folder: z.string(), select: z.string().optional() }),
  /** Photos were added to or removed from the folder open in the library (watched while it is open): list it again. */
  'library:changed': z.object({ folder: z.string() }),
  /** A native menu item or shortcut asks for a view. */
  'app:navigate': z.object({ view: AppView }),
  /** Step, loss, speed, ETA, validation PSNR/SSIM and previews of a training run. */
  'train:progress': TrainProgress,
  /** Photos profiled, or noise-fit candidates tried, for Train → Your camera. */
  'train:camera-progress': CameraProgress,
  /** Tiles of the current file, files of the batch, throughput and ETA of a denoise job. */
  'job:progress': JobProgress,
  /** One file of a denoise job finished: its output, or why it failed. */
  'job:file-done': JobFileDone,
  /** A denoise job ended: counts of succeeded, failed and cancelled files. */
  'job:done': JobDone,
} as const satisfies Record<string, z.ZodType>;

export type Channels = typeof channels;
export type Channel = keyof Channels;
/** What a caller may send (defaults not yet applied). */
export type RequestOf<C extends Channel> = z.input<Channels[C]['request']>;
/** What a handler receives (validated, defaults applied). */
export type ParsedRequestOf<C extends Channel> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<Channels[C]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(channels, name);
}
export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}

export * from './contract-core.js';
