// The engine boundary typed end to end by one task table (engine/contract/protocol.ts): the worker's
// handler map must hold exactly the table's tasks (checked by the compiler: `npm run typecheck`
// fails if a @ts-expect-error below stops being an error), the client's answers are typed from the
// table, and at run time each side checks what it receives against the table: a wrong-shaped
// answer is a typed error naming the task, a malformed request is answered as such, and an event
// the table does not give the task never reaches its listener. The engine here is a real
// EngineWorker in this process, joined to a real EngineClient by an in-process transport.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { ClearframeError } from '../../src-shared/contract-core.js';
import type { DenoisePreviewResponse } from '../../src-shared/schemas/denoise.js';
import { EngineClient } from '../../src-main/engine-client/engine-client.js';
import type { EngineTransport } from '../../src-main/engine-client/transport.js';
import { DenoiseJob } from '../../src-main/engine/contract/denoise-job.js';
import { EngineWorker } from '../../src-main/engine/process/engine-worker.js';
import type {
  DenoiseFileOutcome,
  EngineTaskHandlers,
  FromEngine,
  TaskHandler,
  TaskResponse,
} from '../../src-main/engine/contract/protocol.js';
import { greyPhoto } from '../helpers/samples.js';
import { testCard, writeRandomModelFolder } from '../helpers/model-fixtures.js';

// ---- Checked by the compiler only --------------------------------------------------------------

/** A handler map missing a task does not compile. */
export function missingTask(handlers: Omit<EngineTaskHandlers, 'thumbnail'>): EngineTaskHandlers {
  // @ts-expect-error Property 'thumbnail' is missing
  return handlers;
}

/** A handler for a task the table lacks does not compile. */
export function extraTask(handlers: EngineTaskHandlers): EngineTaskHandlers {
  // @ts-expect-error Object literal may only specify known properties
  return { ...handlers, 'denoise-folder': async () => ({}) };
}

/** A handler answering another shape than its task's, or streaming an event its task lacks, does not compile. */
export const wrongAnswer: TaskHandler<'check-output'> =
  // @ts-expect-error 'half' is not an OutputState
  async () => 'half';
export const wrongEvent: TaskHandler<'check-output'> = async (_request, { emit }) => {
  // @ts-expect-error check-output streams no events
  emit('tiles', { done: 1, total: 2 });
  return 'whole';
};

// ---- At run time -------------------------------------------------------------------------------

let root: string;
let photo: string;

/** An EngineClient over a real EngineWorker in this process; `tamper` may rewrite or hold back what the engine sends. */
function inProcessEngine(
  tamper: (message: FromEngine, deliver: (message: unknown) => void) => void = (m, deliver) => deliver(m),
): EngineClient {
  const makeTransport = (): EngineTransport => {
    const listeners: Array<(message: unknown) => void> = [];
    const exits: Array<(code: number | null, signal: string | null) => void> = [];
    // Messages cross as structured clones, as over the engine's IPC channel.
    const deliver = (message: unknown): void => {
      setImmediate(() => listeners.forEach((listener) => listener(structuredClone(message))));
    };
    const worker: EngineWorker = new EngineWorker(
      (message) => tamper(message, deliver),
      undefined,
      () => exits.forEach((exit) => exit(0, null)),
    );
    return {
      send: (message) => void worker.handle(structuredClone(message)),
      onMessage: (listener) => listeners.push(listener),
      onExit: (listener) => exits.push(listener),
      kill: () => exits.forEach((exit) => exit(null, 'SIGKILL')),
    };
  };
  return new EngineClient({ shippedDir: join(root, 'shipped'), userDir: join(root, 'user') }, makeTransport);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-protocol-'));
  await mkdir(join(root, 'photos'));
  await mkdir(join(root, 'user'));
  await writeRandomModelFolder(join(root, 'shipped', 'grey'), testCard({ id: 'grey' }));
  photo = join(root, 'photos', 'card.png');
  await (await greyPhoto('02')).extract({ left: 0, top: 0, width: 96, height: 64 }).png().toFile(photo);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the engine task table', () => {
  it('types the client’s answers from the table', () => {
    expectTypeOf<TaskResponse<'preview'>>().toEqualTypeOf<DenoisePreviewResponse>();
    expectTypeOf<TaskResponse<'denoise-file'>>().toEqualTypeOf<DenoiseFileOutcome>();
    expectTypeOf<TaskResponse<'train-start'>>().toEqualTypeOf<string>();
  });

  it('answers a task with what its table entry says, checked, and streams the events the table gives it', async () => {
    const client = inProcessEngine();
    try {
      expect(await client.checkOutput(join(root, 'photos', 'nothing-here.png'))).toBe('missing');
      const tiles: Array<[number, number]> = [];
      const outputs: string[] = [];
      const outcome = await client.denoiseFile(
        photo,
        DenoiseJob.parse({ modelId: 'grey', strength: 1 }),
        (done, total) => tiles.push([done, total]),
        (path) => outputs.push(path),
      ).result;
      expect(outcome).toMatchObject({ modelId: 'grey', pixels: 96 * 64 });
      expect(outputs).toEqual([outcome.outputPath]);
      expect(tiles.length).toBeGreaterThan(0);
      expect(tiles.at(-1)![0]).toBe(tiles.at(-1)![1]);
    } finally {
      await client.dispose();
    }
  });

  it('turns an answer of the wrong shape into a typed error naming the task', async () => {
    const client = inProcessEngine((message, deliver) =>
      deliver(message.type === 'result' && message.ok ? { ...message, value: 'half there' } : message),
    );
    try {
      const answer = client.checkOutput(join(root, 'photos', 'nothing-here.png'));
      await expect(answer).rejects.toBeInstanceOf(ClearframeError);
      await expect(answer).rejects.toMatchObject({
        code: 'internal',
        message: expect.stringMatching(/answered check-output in an unexpected shape/),
      });
    } finally {
      await client.dispose();
    }
  });

  it('gives a listener only the events its task streams, well formed', async () => {
    // Before each real event, one the table does not give denoise-file and one with a malformed payload.
    const client = inProcessEngine((message, deliver) => {
      if (message.type === 'event') {
        deliver({ ...message, event: 'train-progress', payload: { phase: 'done' } });
        deliver({ ...message, payload: { done: 'many', path: 42 } });
      }
      deliver(message);
    });
    try {
      const tiles: unknown[][] = [];
      const outputs: unknown[] = [];
      const outcome = await client.denoiseFile(
        photo,
        DenoiseJob.parse({ modelId: 'grey', strength: 1, ifCopyExists: 'write-another' }),
        (done, total) => tiles.push([done, total]),
        (path) => outputs.push(path),
      ).result;
      expect(tiles.length).toBeGreaterThan(0);
      expect(tiles.flat().every(Number.isInteger)).toBe(true);
      expect(outputs).toEqual([outcome.outputPath]);
    } finally {
      await client.dispose();
    }
  });

  it('answers a request its table entry refuses as invalid, instead of leaving it unanswered', async () => {
    const posted: FromEngine[] = [];
    const worker = new EngineWorker((message) => posted.push(message));
    await worker.handle({
      type: 'init',
      init: { shippedDir: join(root, 'shipped'), userDir: join(root, 'user'), thumbnailDir: join(root, 'thumbs') },
    });
    await worker.handle({ type: 'task', taskId: 7, task: 'thumbnail', request: { path: photo, size: -1 } });
    expect(posted.at(-1)).toMatchObject({
      type: 'result',
      taskId: 7,
      ok: false,
      error: { code: 'invalid-request', message: expect.stringMatching(/thumbnail.*size/) },
    });
    // A task the table does not have is not ours at all: ignored, as any malformed message.
    await worker.handle({ type: 'task', taskId: 8, task: 'denoise-folder', request: {} });
    expect(posted.filter((m) => m.type === 'result' && m.taskId === 8)).toEqual([]);
    await worker.dispose();
  });
});
