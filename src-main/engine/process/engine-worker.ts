// The engine process's brain, independent of how messages arrive (tests drive it in-process).
// Every message is handled as it arrives, without waiting for earlier ones: a cancel reaches a file
// in flight, thumbnails and scans are answered while a denoise or a training run goes on (sharp and
// ONNX Runtime do their work off this thread). It hosts the model cache, the preview renderer, the
// thumbnail cache and the one TrainRuns of this process; tile and training progress are posted back.
import { describeZodError, type ApiError } from '../../../src-shared/contract-core.js';
import { EngineError, engineErrorToApi } from '../contract/engine-error.js';
import { checkOutput } from '../io/check-output.js';
import { denoiseFile } from '../jobs/denoise-file.js';
import { ModelCache } from '../jobs/model-cache.js';
import { PreviewRenderer } from '../jobs/preview.js';
import { scanFolder } from '../library/scan-folder.js';
import { ThumbnailCache } from '../library/thumbnails.js';
import { PROFILE_MODEL_ID } from '../../../src-shared/schemas/camera.js';
import { CameraProfiler } from '../noise-profile/camera-profiler.js';
import { ModelRegistry } from '../models/registry.js';
import { estimateTraining } from '../train/estimate.js';
import { assertTrainingFits } from '../train/memory-estimate.js';
import { TrainRuns } from '../train/train-runs.js';
import { engineInfo } from './engine-info.js';
import {
  engineTasks,
  ToEngine,
  type EngineInit,
  type EngineTaskHandlers,
  type FromEngine,
  type ParsedTaskRequest,
  type TaskAnswer,
  type TaskHandler,
  type TaskName,
} from '../contract/protocol.js';

function toApiError(error: unknown): ApiError {
  if (error instanceof EngineError) return engineErrorToApi(error);
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

type TaskMessage = Extract<ToEngine, { type: 'task' }>;

interface Engine {
  init: EngineInit;
  models: ModelCache;
  previews: PreviewRenderer;
  thumbnails?: ThumbnailCache;
  cameras: CameraProfiler;
}

/** What the engine does for each task of the table (protocol.ts): the compiler refuses a task without a handler, or a handler without a task. */
function taskHandlers(engine: Engine, runs: TrainRuns): EngineTaskHandlers {
  return {
    preview: ({ view, job }, { signal }) => engine.previews.render(view, job, signal),
    'denoise-file': ({ path, job }, { signal, emit }) =>
      denoiseFile(path, engine.models, job, {
        signal,
        onTiles: (done, total) => emit('tiles', { done, total }),
        onOutput: (output) => emit('output', { path: output }),
      }),
    'check-output': ({ path }) => checkOutput(path),
    thumbnail: async ({ path, size }) => {
      if (!engine.thumbnails)
        throw new EngineError('unsupported', 'This engine was started without a thumbnail cache.');
      return engine.thumbnails.get(path, size);
    },
    scan: ({ folder, recursive, outputs }) => scanFolder(folder, recursive, outputs),
    info: ({ engine: choice }) => engineInfo(engine.models.registry, choice),
    'train-start': async ({ config }, { emit }) => {
      await assertTrainingFits(config); // before a step allocates what the machine does not have
      return runs.start(config, (progress) => emit('train-progress', progress));
    },
    'train-stop': ({ runId }) => runs.stop(runId),
    'train-status': async ({ runId }) => runs.status(runId),
    'train-current': async () => runs.currentRun(),
    'train-estimate': async ({ config }) => {
      // Measured steps would compete with the run for the cores, and measure nothing useful.
      if (runs.busy) throw new EngineError('busy', 'A training run is using this machine; the estimate needs it idle');
      await assertTrainingFits(config); // the estimate runs real steps of the recipe's size
      return estimateTraining(config);
    },
    'camera-profile': ({ folder }, { emit }) =>
      engine.cameras.profile(folder, (progress) => emit('camera-progress', progress)),
    'camera-recipe': ({ folder, camera, effort, linkTo }, { emit }) =>
      engine.cameras.recipe({ folder, camera, effort, ...(linkTo === undefined ? {} : { linkTo }) }, (progress) =>
        emit('camera-progress', progress),
      ),
  };
}

/** How long shutting down waits for cancelled tasks to end (a save in flight finishes or is removed). */
const TASKS_SETTLE_MS = 30_000;

/** True when every promise has settled within `ms`, false when the time ran out first. */
function settledWithin(promises: Array<Promise<unknown>>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  return Promise.race([Promise.allSettled(promises).then(() => true), timeout]).finally(() => clearTimeout(timer));
}

export class EngineWorker {
  private engine?: Engine;
  /** The table's tasks, answered by this engine (set at init). */
  private handlers?: EngineTaskHandlers;
  private readonly running = new Map<number, AbortController>();
  /** Tasks still answering: shutting down waits for them (bounded) so a save in flight ends whole or removed, never cut. */
  private readonly answering = new Set<Promise<void>>();

  private disposing?: Promise<boolean>;

  constructor(
    private readonly post: (message: FromEngine) => void,
    /** The training runs of this process; a test may give one over a stand-in trainer. */
    private readonly runs: TrainRuns = new TrainRuns(),
    /** What 'shutdown' does once the worker is disposed: the engine process exits. */
    private readonly onShutdown: () => void = () => undefined,
  ) {}

  async handle(raw: unknown): Promise<void> {
    const parsed = ToEngine.safeParse(raw);
    if (!parsed.success) return; // not ours, or malformed: ignore rather than crash the engine
    const message = parsed.data;
    switch (message.type) {
      case 'init': {
        const { init } = message;
        const models = new ModelCache(new ModelRegistry({ shippedDir: init.shippedDir, userDir: init.userDir }));
        this.engine = {
          init,
          models,
          previews: new PreviewRenderer(models),
          cameras: new CameraProfiler(async () => (await models.get(PROFILE_MODEL_ID, 3)).model),
          ...(init.thumbnailDir === undefined ? {} : { thumbnails: new ThumbnailCache(init.thumbnailDir) }),
        };
        this.handlers = taskHandlers(this.engine, this.runs);
        this.post({ type: 'ready' });
        return;
      }
      case 'cancel':
        this.running.get(message.taskId)?.abort();
        return;
      case 'shutdown':
        await this.dispose();
        this.onShutdown();
        return;
      case 'crash-for-test':
        process.exit(70);
        return;
      case 'task': {
        const task = this.run(message);
        this.answering.add(task);
        await task.finally(() => this.answering.delete(task));
      }
    }
  }

  private async run(message: TaskMessage): Promise<void> {
    const { taskId } = message;
    const controller = new AbortController();
    this.running.set(taskId, controller);
    try {
      const value = await this.answer(message, controller.signal);
      this.post({ type: 'result', taskId, ok: true, value });
    } catch (error) {
      this.post({ type: 'result', taskId, ok: false, error: toApiError(error) });
    } finally {
      this.running.delete(taskId);
    }
  }

  /** The task's request checked against the table, then its handler's answer. */
  private async answer<T extends TaskName>(
    message: TaskMessage & { task: T },
    signal: AbortSignal,
  ): Promise<TaskAnswer<T>> {
    if (!this.handlers) throw new EngineError('internal', 'The engine was not initialised');
    const { taskId, task } = message;
    const request = engineTasks[task].request.safeParse(message.request);
    if (!request.success)
      throw new EngineError(
        'invalid-request',
        `The engine was sent a malformed ${task}: ${describeZodError(request.error)}`,
      );
    // The table and the map are typed task by task; TypeScript cannot follow one name through both (as in api/dispatch.ts).
    const handler = this.handlers[task] as TaskHandler<T>;
    return handler(request.data as ParsedTaskRequest<T>, {
      signal,
      emit: (event, payload) => this.post({ type: 'event', taskId, event, payload }),
    });
  }

  /**
   * Before the process exits (a signal, 'shutdown', the parent gone): tasks in flight are cancelled,
   * a training run stops at its next step with a checkpoint and its model, as Stop does, then the
   * sessions are released. Called once however many ways the end is asked for. False when a task
   * was still stuck after TASKS_SETTLE_MS (a file-system call that never returns). Exiting with a session's thread inside ONNX Runtime aborts the process
   * ("terminate called after throwing an instance of 'Napi::Error'") instead of exiting.
   */
  dispose(): Promise<boolean> {
    this.disposing ??= (async () => {
      for (const controller of this.running.values()) controller.abort(); // denoising ends within a tile
      const [, settled] = await Promise.all([
        this.runs.stopCurrent(),
        settledWithin([...this.answering], TASKS_SETTLE_MS),
      ]);
      // A task stuck in a call that never returns keeps its thread: releasing the sessions could wait on it too.
      if (settled) await this.engine?.models.dispose();
      return settled;
    })();
    return this.disposing;
  }
}
