// Messages between the main process (EngineClient) and the engine process (engine-main), and the
// table of the engine's tasks: what src-shared/contract.ts is to the UI boundary, this is to the
// engine boundary. Each task is declared once (its request, its answer, the events it streams);
// the client's run() and the worker's handler map are typed from the table, and each side checks
// what it receives against it: a process boundary is a trust boundary like any other. A task is
// answered by one `result`; a training run streams `train-progress` under the taskId of the
// train-start that began it until a final phase (done, stopped, failed), after its answer too.
import { z } from 'zod';
import { ApiError, ClearframeError, describeZodError } from '../../../src-shared/contract-core.js';
import { DenoisePreviewRequest, DenoisePreviewResponse } from '../../../src-shared/schemas/denoise.js';
import { BackendInfo, InferenceReport } from '../../../src-shared/schemas/app.js';
import { EngineChoice } from '../../../src-shared/schemas/settings.js';
import { LibraryOpenResponse, ThumbnailResponse } from '../../../src-shared/schemas/library.js';
import {
  CameraProfileNoise,
  TrainConfig,
  TrainCurrentResponse,
  TrainEstimateResponse,
  TrainProgress,
  TrainStartResponse,
} from '../../../src-shared/schemas/train.js';
import { CameraFitEffort, CameraProfileResponse, CameraProgress } from '../../../src-shared/schemas/camera.js';
import { DenoiseJob, ScanOutputs } from './denoise-job.js';

export const EngineInit = z.object({
  shippedDir: z.string(),
  userDir: z.string(),
  /**
   * The library's thumbnail cache (<data dir>/Thumbnails), chosen by the host like the model folders.
   * Absent where no library is shown (the CLI): thumbnail tasks are then refused.
   */
  thumbnailDir: z.string().optional(),
});
export type EngineInit = z.infer<typeof EngineInit>;

/** Which part of which photo a preview shows; how to denoise it is the job. */
export const PreviewView = DenoisePreviewRequest.pick({ path: true, region: true, maxSide: true });
export type PreviewView = z.infer<typeof PreviewView>;

/** One file's denoise: its output (with `skipped`, the copy that was already there), and the photo's pixel count for the batch's speed and ETA. */
export const DenoiseFileOutcome = z.object({
  /** The copy written, or with `skipped` the one already there. */
  outputPath: z.string(),
  modelId: z.string(),
  /** "onnxruntime:cpu", "tfjs:wasm"…: what actually ran the network. */
  runtime: z.string(),
  /** The photo's pixel count (upright width × height). */
  pixels: z.number().int().nonnegative(),
  skipped: z.boolean().optional(),
  warning: z.string().optional(),
});
export type DenoiseFileOutcome = z.infer<typeof DenoiseFileOutcome>;

export const OutputState = z.enum(['whole', 'removed', 'missing', 'unreadable']);
export type OutputState = z.infer<typeof OutputState>;

/** A thumbnail as the engine answers it: the encoded bytes, not base64 (the api encodes for the contract). */
export const ThumbnailImage = z.object({
  mime: ThumbnailResponse.shape.mime,
  data: z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected the encoded bytes'),
  width: z.number().int(),
  height: z.number().int(),
});
export type ThumbnailImage = z.infer<typeof ThumbnailImage>;

/**
 * The engine's part of app:info: its native libraries' versions, the backends it can run (GPU
 * providers tried for real) and what runs the default model under the Settings → Engine choice.
 */
export const EngineInfo = z.object({
  versions: z.record(z.string(), z.string()),
  backends: z.array(BackendInfo),
  inference: InferenceReport.optional(),
});
export type EngineInfo = z.infer<typeof EngineInfo>;

/** A camera's fitted noise, for a Your-camera run (noise-profile/camera-profiler.ts). */
export const CameraRecipe = z.object({
  noise: CameraProfileNoise,
  measuredRms: z.number(),
  /** The fit's remaining distance (0: the synthetic noise measures as the photos do). */
  distance: z.number(),
});
export type CameraRecipe = z.infer<typeof CameraRecipe>;

/** Which folder and camera to fit, how hard, and where to link its clean photos (absent: the run learns from a folder the user chose). */
export const CameraRecipeRequest = z.object({
  folder: z.string(),
  camera: z.string(),
  effort: CameraFitEffort,
  linkTo: z.string().optional(),
});
export type CameraRecipeRequest = z.infer<typeof CameraRecipeRequest>;

/** A denoise's tiles done so far, of how many. */
const TileProgress = z.object({ done: z.number().int(), total: z.number().int() });
/** A denoise-file's output path, sent just before the finished file is moved there. */
const OutputAnnounced = z.object({ path: z.string() });

/** One engine task: what the main process sends, what the engine answers, and what it streams meanwhile. */
export interface EngineTaskSpec {
  readonly request: z.ZodType;
  readonly response: z.ZodType;
  /** Events by name, sent under the task's taskId before its answer (a training run's progress also after). */
  readonly events: Readonly<Record<string, z.ZodType>>;
}

/** Every task of the engine. Adding one = one entry here + one handler in engine-worker.ts (the compiler asks for it). */
export const engineTasks = {
  'denoise-file': {
    request: z.object({ path: z.string(), job: DenoiseJob }),
    response: DenoiseFileOutcome,
    events: { tiles: TileProgress, output: OutputAnnounced },
  },
  preview: { request: z.object({ view: PreviewView, job: DenoiseJob }), response: DenoisePreviewResponse, events: {} },
  thumbnail: {
    request: z.object({ path: z.string(), size: z.number().int().positive() }),
    response: ThumbnailImage,
    events: {},
  },
  /** After a crash: is the output a dead engine announced there, and whole? (check-output.ts) */
  'check-output': { request: z.object({ path: z.string() }), response: OutputState, events: {} },
  scan: {
    request: z.object({ folder: z.string(), recursive: z.boolean(), outputs: ScanOutputs.optional() }),
    response: LibraryOpenResponse,
    events: {},
  },
  info: { request: z.object({ engine: EngineChoice.optional() }), response: EngineInfo, events: {} },
  /** Answers the run's id; its progress streams under this taskId until a final phase, long after the answer. */
  'train-start': {
    request: z.object({ config: TrainConfig }),
    response: TrainStartResponse.shape.runId,
    events: { 'train-progress': TrainProgress },
  },
  'train-stop': { request: z.object({ runId: z.string() }), response: TrainProgress, events: {} },
  'train-status': { request: z.object({ runId: z.string() }), response: TrainProgress, events: {} },
  'train-current': { request: z.object({}), response: TrainCurrentResponse, events: {} },
  'train-estimate': { request: z.object({ config: TrainConfig }), response: TrainEstimateResponse, events: {} },
  /** Train → Your camera: the cameras of a folder and their noise, progress per photo. */
  'camera-profile': {
    request: z.object({ folder: z.string() }),
    response: CameraProfileResponse,
    events: { 'camera-progress': CameraProgress },
  },
  /** One camera's noise fitted (and its clean photos linked to `linkTo`), progress per evaluation. */
  'camera-recipe': {
    request: CameraRecipeRequest,
    response: CameraRecipe,
    events: { 'camera-progress': CameraProgress },
  },
} as const satisfies Record<string, EngineTaskSpec>;

export type EngineTasks = typeof engineTasks;
export type TaskName = keyof EngineTasks;
/** What the client sends (defaults not yet applied). */
export type TaskRequest<T extends TaskName> = z.input<EngineTasks[T]['request']>;
/** What a handler receives (validated, defaults applied). */
export type ParsedTaskRequest<T extends TaskName> = z.output<EngineTasks[T]['request']>;
/** What a handler answers; the client checks it against the response schema. */
export type TaskAnswer<T extends TaskName> = z.input<EngineTasks[T]['response']>;
/** What the client's caller receives. */
export type TaskResponse<T extends TaskName> = z.output<EngineTasks[T]['response']>;
export type TaskEventName<T extends TaskName> = keyof EngineTasks[T]['events'] & string;
type EventSchema<T extends TaskName, E extends TaskEventName<T>> = EngineTasks[T]['events'][E];
/** One event a task streams, checked: `event` tells which. */
export type TaskEvent<T extends TaskName> = {
  [E in TaskEventName<T>]: { event: E; payload: z.output<EventSchema<T, E>> };
}[TaskEventName<T>];

/** What a handler is given besides its request. */
export interface TaskContext<T extends TaskName> {
  /** Aborted when the client cancels the task or the engine shuts down. */
  signal: AbortSignal;
  /** Streams one of the task's events to the client. */
  emit<E extends TaskEventName<T>>(event: E, payload: z.input<EventSchema<T, E>>): void;
}
export type TaskHandler<T extends TaskName> = (
  request: ParsedTaskRequest<T>,
  context: TaskContext<T>,
) => Promise<TaskAnswer<T>>;
/** One handler per task, no more, no fewer: a map missing a task or naming one the table lacks does not compile. */
export type EngineTaskHandlers = { [T in TaskName]: TaskHandler<T> };

export function isTaskName(name: string): name is TaskName {
  return Object.prototype.hasOwnProperty.call(engineTasks, name);
}

/** `value` checked as the answer to `task`; a wrong shape is a ClearframeError ('internal') saying what is wrong. */
export function taskResponse<T extends TaskName>(task: T, value: unknown): TaskResponse<T> {
  const schema: z.ZodType = engineTasks[task].response;
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new ClearframeError(
      'internal',
      `The engine answered ${task} in an unexpected shape (${describeZodError(parsed.error)}).`,
    );
  return parsed.data as TaskResponse<T>;
}

/** A streamed event checked against `task`'s table entry; undefined when the task streams no such event or its payload is malformed. */
export function taskEvent<T extends TaskName>(task: T, event: string, payload: unknown): TaskEvent<T> | undefined {
  const events: Readonly<Record<string, z.ZodType>> = engineTasks[task].events;
  if (!Object.prototype.hasOwnProperty.call(events, event)) return undefined;
  const parsed = events[event]?.safeParse(payload);
  return parsed?.success ? ({ event, payload: parsed.data } as TaskEvent<T>) : undefined;
}

const taskId = z.number().int();

export const ToEngine = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), init: EngineInit }),
  /** One task of the table; the worker checks `request` against the task's request schema. */
  z.object({
    type: z.literal('task'),
    taskId,
    task: z.custom<TaskName>((name) => typeof name === 'string' && isTaskName(name), 'expected an engine task'),
    request: z.unknown(),
  }),
  z.object({ type: z.literal('cancel'), taskId }),
  /** Stop as on a signal: a training run checkpoints and saves its model, then the process exits. */
  z.object({ type: z.literal('shutdown') }),
  /** Test hook: makes the engine exit abruptly, as a native crash would. */
  z.object({ type: z.literal('crash-for-test') }),
]);
export type ToEngine = z.infer<typeof ToEngine>;

/** A task as the client sends it: typed by the table. */
export interface TaskMessage<T extends TaskName> {
  type: 'task';
  taskId: number;
  task: T;
  request: TaskRequest<T>;
}

export const FromEngine = z.union([
  z.object({ type: z.literal('ready') }),
  /** One of the events the table lets the task stream; the client checks `payload` with taskEvent(). */
  z.object({ type: z.literal('event'), taskId, event: z.string(), payload: z.unknown() }),
  z.object({ type: z.literal('result'), taskId, ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('result'), taskId, ok: z.literal(false), error: ApiError }),
]);
export type FromEngine = z.infer<typeof FromEngine>;
