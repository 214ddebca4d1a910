// The main process's handle on the engine process: starts it on first use, forwards tasks (denoise,
// preview, thumbnails, scans, training, app:info's engine half), relays tile and training progress,
// and survives crashes — when the process dies unexpectedly every task in flight fails with
// `engine-crashed`, a training run in flight ends as `failed` with the reason (kept here, so its
// status and the Train view still answer), and the next task starts a fresh engine.
import { ClearframeError } from '../../src-shared/contract-core.js';
import { Correlator } from '../../src-shared/correlator.js';
import type { DenoisePreviewResponse } from '../../src-shared/schemas/denoise.js';
import type { LibraryOpenResponse } from '../../src-shared/schemas/library.js';
import type {
  TrainConfig,
  TrainCurrentResponse,
  TrainEstimateResponse,
  TrainProgress,
} from '../../src-shared/schemas/train.js';
import type { EngineChoice } from '../../src-shared/schemas/settings.js';
import type { DenoiseJob, ScanOutputs } from '../engine/contract/denoise-job.js';
import type { CameraProfileResponse, CameraProgress } from '../../src-shared/schemas/camera.js';
import {
  FromEngine,
  taskEvent,
  taskResponse,
  type CameraRecipe,
  type CameraRecipeRequest,
  type DenoiseFileOutcome,
  type EngineInfo,
  type EngineInit,
  type OutputState,
  type PreviewView,
  type TaskEvent,
  type TaskMessage,
  type TaskName,
  type TaskRequest,
  type TaskResponse,
  type ThumbnailImage,
  type ToEngine,
} from '../engine/contract/protocol.js';
import {
  currentOf,
  isFinalPhase,
  newRunRecord,
  recordProgress,
  type RunRecord,
} from '../engine/contract/run-record.js';
import type { CameraEngine, FileDenoiser, LibraryEngine, RunningTask, TrainingEngine } from './engine-api.js';
import { forkTransport, siblingEntry, type EngineTransport } from './transport.js';

export type { RunningTask } from './engine-api.js';

/** How a task is watched besides its answer: its streamed events, and its taskId once sent (a training run is followed by it). */
interface TaskWatch<T extends TaskName> {
  onEvent?: (event: TaskEvent<T>) => void;
  onSent?: (taskId: number) => void;
}

/** What a task in flight keeps with its call: where its events go, unchecked until the task's table entry checks them. */
type EventSink = (event: string, payload: unknown) => void;

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

export const forkEngine: TransportFactory = () =>
  forkTransport(siblingEntry(import.meta.url, '../engine/process/engine-main'));

export class EngineClient implements FileDenoiser, LibraryEngine, TrainingEngine, CameraEngine {
  private transport: EngineTransport | undefined;
  private ready: Promise<void> | undefined;
  private readonly calls = new Correlator<unknown, EventSink>();
  /** Training runs in flight, by the taskId of their train-start. */
  private readonly training = new Map<number, WatchedRun>();
  /** The last run that the engine's death ended: train:status and train:current answer for it. */
  private lostRun: RunRecord | undefined;
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
        if (message.type === 'event') {
          // A run's progress outlives its train-start's answer: it goes to the watched run, not the call.
          const progress =
            message.event === 'train-progress' ? taskEvent('train-start', message.event, message.payload) : undefined;
          if (progress) return this.trainProgress(message.taskId, progress.payload);
          return this.calls.entry(message.taskId)?.(message.event, message.payload);
        }
        if (message.ok) this.calls.resolve(message.taskId, message.value);
        else
          this.calls.reject(
            message.taskId,
            new ClearframeError(message.error.code, message.error.message, message.error.subject),
          );
      });
      transport.onExit((code, signal) => {
        if (this.transport !== transport) return;
        this.transport = undefined;
        this.ready = undefined;
        const why = this.closing
          ? 'The engine was shut down'
          : `The engine process stopped unexpectedly (${signal ?? `exit code ${code}`}); it will be restarted`;
        reject(new ClearframeError('engine-crashed', why));
        this.calls.failAll(new ClearframeError('engine-crashed', why));
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

  /** Sends `task` once the engine is up; answers what the table says the task answers, checked. */
  private run<T extends TaskName>(
    task: T,
    request: TaskRequest<T>,
    watch: TaskWatch<T> = {},
  ): RunningTask<TaskResponse<T>> {
    let cancelled = false;
    let sent: number | undefined;
    const { onEvent } = watch;
    const sink: EventSink | undefined = onEvent
      ? (name, payload) => {
          const event = taskEvent(task, name, payload);
          if (event) onEvent(event);
        }
      : undefined;
    const result = (async () => {
      await this.start();
      if (cancelled) throw new ClearframeError('cancelled', 'Cancelled before it started');
      // dispose() may have let the engine go while this request waited for it to start.
      const transport = this.transport;
      if (!transport) throw new ClearframeError('engine-crashed', 'The engine was shut down');
      const value = await this.calls.call(
        (taskId) => {
          sent = taskId;
          watch.onSent?.(taskId);
          transport.send({ type: 'task', taskId, task, request } satisfies TaskMessage<T>);
        },
        sink ? { entry: sink } : {},
      );
      return taskResponse(task, value);
    })();
    return {
      result,
      cancel: () => {
        cancelled = true;
        if (sent !== undefined && this.calls.isWaiting(sent))
          this.transport?.send({ type: 'cancel', taskId: sent } satisfies ToEngine);
      },
    };
  }

  /** `onOutput` hears the output's final path just before the engine moves the finished file there. */
  denoiseFile(
    path: string,
    job: DenoiseJob,
    onTiles?: (done: number, total: number) => void,
    onOutput?: (path: string) => void,
  ): RunningTask<DenoiseFileOutcome> {
    return this.run(
      'denoise-file',
      { path, job },
      {
        onEvent: (event) => {
          if (event.event === 'tiles') onTiles?.(event.payload.done, event.payload.total);
          else onOutput?.(event.payload.path);
        },
      },
    );
  }

  /** After a crash: whether an announced output is there and whole (an empty FAT/exFAT claim is removed). */
  checkOutput(path: string): Promise<OutputState> {
    return this.run('check-output', { path }).result;
  }

  /** The `view` of a photo denoised as `job` says (the parts a preview uses: model, strength, level, quality, tiles, pixel limit). */
  preview(view: PreviewView, job: DenoiseJob): RunningTask<DenoisePreviewResponse> {
    return this.run('preview', { view, job });
  }

  /** Answered concurrently with whatever else runs (a denoise, a training run): the grid asks for many at once. */
  thumbnail(path: string, size: number): Promise<ThumbnailImage> {
    return naming(path, `making a preview of ${path}`, this.run('thumbnail', { path, size }).result);
  }

  scanFolder(folder: string, recursive: boolean, outputs?: ScanOutputs): Promise<LibraryOpenResponse> {
    return naming(
      folder,
      `reading the folder ${folder}`,
      this.run('scan', { folder, recursive, ...(outputs ? { outputs } : {}) }).result,
    );
  }

  /** app:info's engine half: native library versions, the backends that load and what runs under `engine` (Settings → Engine). */
  info(engine?: EngineChoice): Promise<EngineInfo> {
    return this.run('info', engine ? { engine } : {}).result;
  }

  async startTraining(config: TrainConfig, onProgress: (progress: TrainProgress) => void): Promise<string> {
    // Watched as it is sent: the run's first progress may come before the answer with its id.
    const watched: WatchedRun = { record: newRunRecord('', config), onProgress };
    let taskId: number | undefined;
    try {
      const runId = await this.run(
        'train-start',
        { config },
        { onSent: (id) => this.training.set((taskId = id), watched) },
      ).result;
      if (watched.record.latest.runId === '') watched.record.latest = { ...watched.record.latest, runId };
      this.lostRun = undefined;
      return runId;
    } catch (error) {
      if (taskId !== undefined) this.training.delete(taskId);
      throw error;
    }
  }

  stopTraining(runId: string): Promise<TrainProgress> {
    if (this.lostRun?.latest.runId === runId) return Promise.resolve(this.lostRun.latest);
    return this.run('train-stop', { runId }).result;
  }

  trainingStatus(runId: string): Promise<TrainProgress> {
    if (this.lostRun?.latest.runId === runId) return Promise.resolve(this.lostRun.latest);
    return this.run('train-status', { runId }).result;
  }

  /** The engine's running or last run; a run the engine's death ended, until another starts. */
  currentTraining(): Promise<TrainCurrentResponse> {
    if (this.lostRun) return Promise.resolve(currentOf(this.lostRun));
    return this.run('train-current', {}).result;
  }

  estimateTraining(config: TrainConfig): Promise<TrainEstimateResponse> {
    return this.run('train-estimate', { config }).result;
  }

  /** Train → Your camera: the cameras of `folder` and their noise, with progress per photo. */
  profileCamera(folder: string, onProgress: (progress: CameraProgress) => void): Promise<CameraProfileResponse> {
    return this.run('camera-profile', { folder }, { onEvent: ({ payload }) => onProgress(payload) }).result;
  }

  /** One camera's fitted noise (and its clean photos linked to `linkTo`), with progress per evaluation. */
  cameraRecipe(request: CameraRecipeRequest, onProgress: (progress: CameraProgress) => void): Promise<CameraRecipe> {
    return this.run('camera-recipe', request, { onEvent: ({ payload }) => onProgress(payload) }).result;
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
