// The main process's handle on the engine process: starts it on first use, forwards tasks (denoise,
// preview, thumbnails, scans, training, app:info's engine half), relays tile and training progress,
// and survives crashes — when the process dies unexpectedly every task in flight fails with
// `engine-crashed`, a training run in flight ends as `failed` with the reason (kept here, so its
// status and the Train view still answer), and the next task starts a fresh engine.
import { ClearframeError } from '../../src-shared/contract-core.js';
import type { DenoisePreviewResponse } from '../../src-shared/schemas/denoise.js';
import { TrainStartResponse, type TrainConfig, type TrainCurrentResponse, type TrainEstimateResponse, type TrainProgress } from '../../src-shared/schemas/train.js';
import type { EngineChoice } from '../../src-shared/schemas/settings.js';
import type { DenoiseJob, ScanOutputs } from '../engine/denoise-job.js';
import type { CameraProfileResponse as CameraProfileAnswer, CameraProgress } from '../../src-shared/schemas/camera.js';
import {
  CameraProfileResponse,
  CameraRecipe,
  type CameraRecipeRequest,
  DenoiseFileOutcome,
  EngineInfo,
  FromEngine,
  LibraryOpenResponse,
  OutputState,
  ThumbnailImage,
  TrainCurrentResponse as TrainCurrentSchema,
  TrainEstimateResponse as TrainEstimateSchema,
  TrainProgress as TrainProgressSchema,
  type EngineInit,
  type PreviewView,
  type ToEngine,
} from '../engine/process/protocol.js';
import { currentOf, isFinalPhase, newRunRecord, recordProgress, type RunRecord } from '../engine/train/run-record.js';
import type { CameraEngine, FileDenoiser, LibraryEngine, RunningTask, TrainingEngine } from './engine-api.js';
import { forkTransport, siblingEntry, type EngineTransport } from './transport.js';

export type { RunningTask } from './engine-api.js';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: ClearframeError) => void;
  onTiles?: (done: number, total: number) => void;
  onOutput?: (path: string) => void;
  onCamera?: (progress: CameraProgress) => void;
}

/** What a running task reports besides its answer. */
type TaskListeners = Pick<Pending, 'onTiles' | 'onOutput' | 'onCamera'>;

/** A training run in the engine, mirrored here from its progress so that its end is known if the engine dies. */
interface WatchedRun {
  record: RunRecord;
  onProgress: (progress: TrainProgress) => void;
}

/** An engine crash during work on one file names that file, so it fails alone and visibly. */
function naming<T>(subject: string, doing: string, result: Promise<T>): Promise<T> {
  return result.catch((error: unknown) => {
    if (error instanceof ClearframeError && error.code === 'engine-crashed' && error.subject === undefined) {
      throw new ClearframeError('engine-crashed', `While ${doing}: ${error.message}`, subject);
    }
    throw error;
  });
}

export type TransportFactory = () => EngineTransport;

/** The default: fork engine-main beside this module (.ts under tests/tsx, .js in dist). */
/**
 * How long dispose() waits for the engine to end on its own: a training run finishes its step,
 * validates, saves a checkpoint and its model first (seconds; a minute on a slow machine).
 */
const SHUTDOWN_GRACE_MS = 120_000;

export const forkEngine: TransportFactory = () => forkTransport(siblingEntry(import.meta.url, '../engine/process/engine-main'));

export class EngineClient implements FileDenoiser, LibraryEngine, TrainingEngine, CameraEngine {
  private transport?: EngineTransport;
  private ready?: Promise<void>;
  private readonly pending = new Map<number, Pending>();
  /** Training runs in flight, by the taskId of their train-start. */
  private readonly training = new Map<number, WatchedRun>();
  /** The last run that the engine's death ended: train:status and train:current answer for it. */
  private lostRun?: RunRecord;
  private nextTaskId = 1;
  private closing = false;
  /** How many times the engine has been started (1 + restarts), for reports and tests. */
  starts = 0;

  constructor(
    private readonly init: EngineInit,
    private readonly makeTransport: TransportFactory = forkEngine,
  ) {}

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const transport = this.makeTransport();
    this.transport = transport;
    this.starts++;
    this.ready = new Promise<void>((resolve, reject) => {
      transport.onMessage((raw) => {
        const parsed = FromEngine.safeParse(raw);
        if (!parsed.success) return;
        const message = parsed.data;
        if (message.type === 'ready') return resolve();
        if (message.type === 'train-progress') return this.trainProgress(message.taskId, message.progress);
        const pending = this.pending.get(message.taskId);
        if (!pending) return;
        if (message.type === 'tiles') return pending.onTiles?.(message.done, message.total);
        if (message.type === 'output') return pending.onOutput?.(message.path);
        if (message.type === 'camera-progress') return pending.onCamera?.(message.progress);
        this.pending.delete(message.taskId);
        if (message.ok) pending.resolve(message.value);
        else pending.reject(new ClearframeError(message.error.code, message.error.message, message.error.subject));
      });
      transport.onExit((code, signal) => {
        if (this.transport !== transport) return;
        this.transport = undefined;
        this.ready = undefined;
        const why = this.closing ? 'The engine was shut down' : `The engine process stopped unexpectedly (${signal ?? `exit code ${code}`}); it will be restarted`;
        reject(new ClearframeError('engine-crashed', why));
        for (const [id, pending] of this.pending) {
          this.pending.delete(id);
          pending.reject(new ClearframeError('engine-crashed', why));
        }
        this.endTrainingRuns(why);
      });
      transport.send({ type: 'init', init: this.init } satisfies ToEngine);
    });
    return this.ready;
  }

  private trainProgress(taskId: number, progress: TrainProgress): void {
    const run = this.training.get(taskId);
    if (!run) return;
    recordProgress(run.record, progress);
    if (isFinalPhase(progress.phase)) this.training.delete(taskId);
    run.onProgress(progress);
  }

  /** The engine died: every run it was training ends as failed, saying why and what was kept. */
  private endTrainingRuns(why: string): void {
    for (const [taskId, run] of this.training) {
      this.training.delete(taskId);
      const { latest } = run.record;
      const kept = latest.modelFolder ? ' The best model so far is kept and can be saved, or the run resumed.' : '';
      const failed: TrainProgress = { ...latest, phase: 'failed', message: `Training ended: ${why}.${kept}` };
      recordProgress(run.record, failed);
      this.lostRun = run.record;
      run.onProgress(failed);
    }
  }

  private run<T>(build: (taskId: number) => ToEngine, parse: (value: unknown) => T, listeners: TaskListeners = {}): RunningTask<T> {
    return this.runWithId(this.nextTaskId++, build, parse, listeners);
  }

  private runWithId<T>(taskId: number, build: (taskId: number) => ToEngine, parse: (value: unknown) => T, listeners: TaskListeners = {}): RunningTask<T> {
    let cancelled = false;
    const result = (async () => {
      await this.start();
      if (cancelled) throw new ClearframeError('cancelled', 'Cancelled before it started');
      // dispose() may have let the engine go while this request waited for it to start.
      const transport = this.transport;
      if (!transport) throw new ClearframeError('engine-crashed', 'The engine was shut down');
      const value = await new Promise<unknown>((resolve, reject) => {
        this.pending.set(taskId, { resolve, reject, ...listeners });
        transport.send(build(taskId));
      });
      return parse(value);
    })();
    return {
      result,
      cancel: () => {
        cancelled = true;
        if (this.pending.has(taskId)) this.transport?.send({ type: 'cancel', taskId } satisfies ToEngine);
      },
    };
  }

  /** `onOutput` hears the output's final path just before the engine moves the finished file there. */
  denoiseFile(path: string, job: DenoiseJob, onTiles?: (done: number, total: number) => void, onOutput?: (path: string) => void): RunningTask<DenoiseFileOutcome> {
    return this.run(
      (taskId) => ({ type: 'denoise-file', taskId, path, job }),
      (v) => DenoiseFileOutcome.parse(v),
      { ...(onTiles ? { onTiles } : {}), ...(onOutput ? { onOutput } : {}) },
    );
  }

  /** After a crash: whether an announced output is there and whole (an empty FAT/exFAT claim is removed). */
  checkOutput(path: string): Promise<OutputState> {
    return this.run(
      (taskId) => ({ type: 'check-output', taskId, path }),
      (v) => OutputState.parse(v),
    ).result;
  }

  /** The `view` of a photo denoised as `job` says (the parts a preview uses: model, strength, level, quality, tiles, pixel limit). */
  preview(view: PreviewView, job: DenoiseJob): RunningTask<DenoisePreviewResponse> {
    return this.run(
      (taskId) => ({ type: 'preview', taskId, view, job }),
      (v) => v as DenoisePreviewResponse,
    );
  }

  /** Answered concurrently with whatever else runs (a denoise, a training run): the grid asks for many at once. */
  thumbnail(path: string, size: number): Promise<ThumbnailImage> {
    return naming(
      path,
      `making a preview of ${path}`,
      this.run(
        (taskId) => ({ type: 'thumbnail', taskId, path, size }),
        (v) => ThumbnailImage.parse(v),
      ).result,
    );
  }

  scanFolder(folder: string, recursive: boolean, outputs?: ScanOutputs): Promise<LibraryOpenResponse> {
    return naming(
      folder,
      `reading the folder ${folder}`,
      this.run(
        (taskId) => ({ type: 'scan', taskId, folder, recursive, ...(outputs ? { outputs } : {}) }),
        (v) => LibraryOpenResponse.parse(v),
      ).result,
    );
  }

  /** app:info's engine half: native library versions, the backends that load and what runs under `engine` (Settings → Engine). */
  info(engine?: EngineChoice): Promise<EngineInfo> {
    return this.run(
      (taskId) => ({ type: 'info', taskId, ...(engine ? { engine } : {}) }),
      (v) => EngineInfo.parse(v),
    ).result;
  }

  async startTraining(config: TrainConfig, onProgress: (progress: TrainProgress) => void): Promise<string> {
    const taskId = this.nextTaskId++;
    // Watched before it is sent: the run's first progress may come before the answer with its id.
    const watched: WatchedRun = { record: newRunRecord('', config), onProgress };
    this.training.set(taskId, watched);
    try {
      const runId = await this.runWithId(
        taskId,
        () => ({ type: 'train-start', taskId, config }),
        (v) => TrainStartResponse.shape.runId.parse(v),
      ).result;
      if (watched.record.latest.runId === '') watched.record.latest = { ...watched.record.latest, runId };
      this.lostRun = undefined;
      return runId;
    } catch (error) {
      this.training.delete(taskId);
      throw error;
    }
  }

  stopTraining(runId: string): Promise<TrainProgress> {
    if (this.lostRun?.latest.runId === runId) return Promise.resolve(this.lostRun.latest);
    return this.run(
      (taskId) => ({ type: 'train-stop', taskId, runId }),
      (v) => TrainProgressSchema.parse(v),
    ).result;
  }

  trainingStatus(runId: string): Promise<TrainProgress> {
    if (this.lostRun?.latest.runId === runId) return Promise.resolve(this.lostRun.latest);
    return this.run(
      (taskId) => ({ type: 'train-status', taskId, runId }),
      (v) => TrainProgressSchema.parse(v),
    ).result;
  }

  /** The engine's running or last run; a run the engine's death ended, until another starts. */
  currentTraining(): Promise<TrainCurrentResponse> {
    if (this.lostRun) return Promise.resolve(currentOf(this.lostRun));
    return this.run(
      (taskId) => ({ type: 'train-current', taskId }),
      (v) => TrainCurrentSchema.parse(v),
    ).result;
  }

  estimateTraining(config: TrainConfig): Promise<TrainEstimateResponse> {
    return this.run(
      (taskId) => ({ type: 'train-estimate', taskId, config }),
      (v) => TrainEstimateSchema.parse(v),
    ).result;
  }

  /** Train → Your camera: the cameras of `folder` and their noise, with progress per photo. */
  profileCamera(folder: string, onProgress: (progress: CameraProgress) => void): Promise<CameraProfileAnswer> {
    return this.run(
      (taskId) => ({ type: 'camera-profile', taskId, folder }),
      (v) => CameraProfileResponse.parse(v),
      { onCamera: onProgress },
    ).result;
  }

  /** One camera's fitted noise (and its clean photos linked to `linkTo`), with progress per evaluation. */
  cameraRecipe(request: CameraRecipeRequest, onProgress: (progress: CameraProgress) => void): Promise<CameraRecipe> {
    return this.run(
      (taskId) => ({ type: 'camera-recipe', taskId, ...request }),
      (v) => CameraRecipe.parse(v),
      { onCamera: onProgress },
    ).result;
  }

  /** Test hook: the engine exits abruptly, as a native crash would; resolves once this client has seen it go. */
  crashForTest(): Promise<void> {
    const transport = this.transport;
    if (!transport) return Promise.resolve();
    const gone = new Promise<void>((resolve) => transport.onExit(() => resolve()));
    transport.send({ type: 'crash-for-test' } satisfies ToEngine);
    return gone;
  }

  /**
   * Ends the engine process as Stop ends a run: asked to shut down, it checkpoints a training run and
   * saves its model, cancels other work and exits; killed only when it has not gone within
   * SHUTDOWN_GRACE_MS. Resolves once the process has exited.
   */
  async dispose(): Promise<void> {
    this.closing = true;
    const transport = this.transport;
    this.transport = undefined;
    this.ready = undefined;
    if (!transport) return;
    let timer: NodeJS.Timeout | undefined;
    const exited = new Promise<void>((resolve) => {
      transport.onExit(() => resolve());
      timer = setTimeout(() => {
        transport.kill();
        resolve();
      }, SHUTDOWN_GRACE_MS);
    });
    transport.send({ type: 'shutdown' } satisfies ToEngine);
    await exited;
    clearTimeout(timer);
  }
}
