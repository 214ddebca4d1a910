// What the main process's consumers (the job queue, the api handlers) need from the engine, as
// interfaces: EngineClient implements them over the engine process, a test can implement one over
// an in-process stand-in, and nothing above this layer depends on the client class itself.
import type { LibraryOpenResponse } from '../../src-shared/schemas/library.js';
import type {
  TrainConfig,
  TrainCurrentResponse,
  TrainEstimateResponse,
  TrainProgress,
} from '../../src-shared/schemas/train.js';
import type { DenoiseJob, ScanOutputs } from '../engine/contract/denoise-job.js';
import type { CameraProfileResponse, CameraProgress } from '../../src-shared/schemas/camera.js';
import type {
  CameraRecipe,
  CameraRecipeRequest,
  DenoiseFileOutcome,
  OutputState,
  ThumbnailImage,
} from '../engine/contract/protocol.js';

/** A task in the engine: its answer, and a way to stop it. */
export interface RunningTask<T> {
  result: Promise<T>;
  cancel(): void;
}

/** What the job queue needs: one file denoised, with tile progress and its output path announced before the move. */
export interface FileDenoiser {
  denoiseFile(
    path: string,
    job: DenoiseJob,
    onTiles?: (done: number, total: number) => void,
    onOutput?: (path: string) => void,
  ): RunningTask<DenoiseFileOutcome>;
  /** After an engine crash: is the output it announced there and whole? Absent: the crash is reported as it is. */
  checkOutput?(path: string): Promise<OutputState>;
}

/** Training runs, for the train:* handlers. One run at a time; progress streams to `onProgress` until a final phase. */
export interface TrainingEngine {
  startTraining(config: TrainConfig, onProgress: (progress: TrainProgress) => void): Promise<string>;
  stopTraining(runId: string): Promise<TrainProgress>;
  trainingStatus(runId: string): Promise<TrainProgress>;
  currentTraining(): Promise<TrainCurrentResponse>;
  estimateTraining(config: TrainConfig): Promise<TrainEstimateResponse>;
}

/** The library's heavy half: headers read and thumbnails decoded. Paths are already checked by the api. */
export interface LibraryEngine {
  /** With `outputs`, each photo says whether its denoised copy exists and output folders are not listed. */
  scanFolder(folder: string, recursive: boolean, outputs?: ScanOutputs): Promise<LibraryOpenResponse>;
  thumbnail(path: string, size: number): Promise<ThumbnailImage>;
}

/** Train → Your camera's heavy half: a folder profiled, one camera's noise fitted. Paths are already checked by the api. */
export interface CameraEngine {
  profileCamera(folder: string, onProgress: (progress: CameraProgress) => void): Promise<CameraProfileResponse>;
  cameraRecipe(request: CameraRecipeRequest, onProgress: (progress: CameraProgress) => void): Promise<CameraRecipe>;
}
