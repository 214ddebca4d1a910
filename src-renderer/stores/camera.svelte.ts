// Train → "Your camera": the folder profiled (cameras, ISOs, noise curves, clean photos), the camera
// chosen, the run's length and the fit's effort, the time it would take, and the start of the run,
// which then belongs to the training store like any run. When the run ends its model is installed
// and made the camera's default by the host, unless the user had chosen a model for that camera: the
// view then asks before replacing it (`pendingDefault`).
import type { ApiError } from '../../src-shared/contract.js';
import {
  CAMERA_PRESET,
  cameraModelName,
  PROFILE_MODEL_ID,
  type CameraFitEffort,
  type CameraProfileResponse,
  type CameraProgress,
  type CameraSummary,
} from '../../src-shared/schemas/camera.js';
import { modelIdFromName, type TrainEstimateResponse, type TrainStartInput } from '../../src-shared/schemas/train.js';
import { invoke, on } from '../lib/api.js';
import { models } from './models.svelte.js';
import { settings } from './settings.svelte.js';
import { training } from './training.svelte.js';

class CameraStore {
  folder = $state('');
  profiling = $state(false);
  starting = $state(false);
  progress = $state.raw<CameraProgress | null>(null);
  profile = $state.raw<CameraProfileResponse | null>(null);
  error = $state<ApiError | null>(null);
  /** The camera the run is for (the one with the most photos until the user picks another). */
  camera = $state('');
  /** A folder of clean photos to learn from instead of the camera's own picked ones ('' = those). */
  cleanFolder = $state('');
  fit = $state<CameraFitEffort>('thorough');
  epochs = $state<number>(CAMERA_PRESET.epochs);
  stepsPerEpoch = $state<number>(CAMERA_PRESET.stepsPerEpoch);
  estimate = $state.raw<TrainEstimateResponse | null>(null);
  /** The camera and model of the run this view started, until its end is dealt with. */
  run = $state.raw<{ runId: string; camera: string; modelId: string } | null>(null);
  /** The finished run's model, when the camera already had another default: the view asks. */
  pendingDefault = $state.raw<{ camera: string; modelId: string; current: string } | null>(null);
  /** The camera whose default the finished run set. */
  madeDefault = $state.raw<{ camera: string; modelId: string } | null>(null);

  selected = $derived<CameraSummary | undefined>(this.profile?.cameras.find((c) => c.camera === this.camera));

  constructor() {
    on('train:camera-progress', (p) => {
      if (this.profiling || this.starting) this.progress = p;
    });
    on('train:progress', (p) => {
      if (p.phase === 'done' && p.runId === this.run?.runId) void this.runEnded(this.run);
    });
  }

  async profileFolder(folder: string): Promise<void> {
    this.profiling = true;
    this.error = null;
    this.progress = null;
    this.estimate = null;
    const result = await invoke('train:profile-camera', { folder });
    this.profiling = false;
    this.progress = null;
    if (!result.ok) {
      this.profile = null;
      this.error = result.error;
      return;
    }
    this.profile = result.value;
    this.camera = result.value.cameras[0]?.camera ?? '';
  }

  /** The recipe the run will have, as train:estimate costs it (the noise is the camera's before its fit). */
  private estimateRequest(): TrainStartInput | null {
    const camera = this.selected;
    if (!this.profile || !camera) return null;
    const name = cameraModelName('Clearframe-photo', camera.camera);
    return {
      data: this.cleanFolder.trim() || this.profile.folder,
      arch: 'dcae-res-nl',
      channels: 3,
      ...CAMERA_PRESET,
      epochs: this.epochs,
      stepsPerEpoch: this.stepsPerEpoch,
      noise: {
        type: 'camera-profile',
        camera: camera.camera,
        shot: 1e-3,
        read: 1e-5,
        spread: 1.25,
        lumaSmoothing: 0.5,
        chromaSmoothing: 1.5,
        chroma420: camera.chroma420,
        ...(camera.jpegQuality ? { jpegQuality: camera.jpegQuality } : {}),
      },
      init: PROFILE_MODEL_ID,
      modelName: name,
      modelId: modelIdFromName(name),
    };
  }

  async measure(): Promise<void> {
    const request = this.estimateRequest();
    // The engine measures steps only while no run uses the machine.
    if (!request || training.active) return;
    this.estimate = await training.estimate(request);
  }

  async start(): Promise<void> {
    if (!this.profile || !this.selected) return;
    this.starting = true;
    this.error = null;
    this.pendingDefault = null;
    this.madeDefault = null;
    const camera = this.selected.camera;
    const clean = this.cleanFolder.trim();
    const result = await invoke('train:start-camera', {
      folder: this.profile.folder,
      camera,
      fit: this.fit,
      epochs: this.epochs,
      stepsPerEpoch: this.stepsPerEpoch,
      ...(clean ? { clean } : {}),
    });
    this.starting = false;
    this.progress = null;
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    this.run = { runId: result.value.runId, camera, modelId: result.value.config.modelId ?? '' };
    training.began(result.value.config, result.value);
  }

  /** The host installed the model and set the camera's default unless one was set: read back which. */
  private async runEnded(run: { camera: string; modelId: string }): Promise<void> {
    this.run = null;
    await Promise.all([settings.reload(), models.load()]);
    const current = settings.value?.cameraModels[run.camera];
    if (current === run.modelId) this.madeDefault = run;
    else if (current !== undefined && models.byId(run.modelId)) this.pendingDefault = { ...run, current };
  }

  /** The user agreed: the new model replaces the camera's default. */
  async replaceDefault(): Promise<void> {
    const pending = this.pendingDefault;
    if (!pending || !settings.value) return;
    this.pendingDefault = null;
    if (await settings.update({ cameraModels: { ...settings.value.cameraModels, [pending.camera]: pending.modelId } }))
      this.madeDefault = pending;
  }
}

export const camera = new CameraStore();
