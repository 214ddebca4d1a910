// The batch path end to end: JobQueue in this process, the engine in a forked child process, real
// photos (made from the shared test images), a real network (random weights). Checks events,
// per-file failures, crash recovery, cancel, preview, and that originals are never touched.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobQueue, type JobEvents } from '../../src-main/engine-client/job-queue.js';
import { EngineClient } from '../../src-main/engine-client/engine-client.js';
import { forkTransport, siblingEntry } from '../../src-main/engine-client/transport.js';
import { TrainConfig } from '../../src-shared/schemas/train.js';
import { DenoiseJob } from '../../src-main/engine/contract/denoise-job.js';
import { DenoiseStartRequest } from '../../src-shared/schemas/denoise.js';
import { colourPhoto, greyPhoto } from '../helpers/samples.js';
import { testCard, writeRandomModelFolder } from '../helpers/model-fixtures.js';
import { GREY_GAUSSIAN_RECIPE } from '../helpers/train-recipes.js';

const repoRoot = resolve(import.meta.dirname, '../..');
let root: string;
let photos: string;
let client: EngineClient;
let queue: JobQueue;

type Recorded = { [E in keyof JobEvents]: { event: E; payload: JobEvents[E] } }[keyof JobEvents];

function runJob(
  request: Record<string, unknown>,
  onEvent?: (e: Recorded) => void,
): { jobId: string; events: Recorded[]; done: Promise<Recorded[]> } {
  const events: Recorded[] = [];
  let finish!: (e: Recorded[]) => void;
  const done = new Promise<Recorded[]>((r) => (finish = r));
  const { files, ...job } = request;
  const jobId = queue.start(DenoiseStartRequest.shape.files.parse(files), DenoiseJob.parse(job), (event, payload) => {
    const e = { event, payload } as Recorded;
    events.push(e);
    onEvent?.(e);
    if (event === 'job:done') finish(events);
  });
  return { jobId, events, done };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-engine-'));
  photos = join(root, 'photos');
  await mkdir(photos);
  await writeRandomModelFolder(join(root, 'shipped', 'grey'), testCard({ id: 'grey' }));
  await writeRandomModelFolder(join(root, 'shipped', 'colour'), testCard({ id: 'colour', channels: 3 }));
  for (const n of ['01', '02', '03', '04']) {
    await (
      await greyPhoto(n)
    )
      .extract({ left: 0, top: 0, width: 192, height: 160 })
      .toColourspace('b-w')
      .jpeg({ quality: 92 })
      .toFile(join(photos, `grey-${n}.jpg`));
  }
  await (
    await colourPhoto(0)
  )
    .extract({ left: 0, top: 0, width: 160, height: 128 })
    .png()
    .toFile(join(photos, 'colour.png'));
  const jpeg = await readFile(join(photos, 'grey-01.jpg'));
  await writeFile(join(photos, 'truncated.jpg'), jpeg.subarray(0, 900));
  await writeFile(join(photos, 'notes.png'), 'not an image at all');
  client = new EngineClient({ shippedDir: join(root, 'shipped'), userDir: join(root, 'user') });
  queue = new JobQueue(client);
});

afterAll(async () => {
  await client.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('batch denoising in the engine process', () => {
  it('denoises good files, fails bad ones alone with clear messages, never touches originals', async () => {
    const files = ['grey-01.jpg', 'truncated.jpg', 'colour.png', 'notes.png', 'grey-02.jpg'].map((f) =>
      join(photos, f),
    );
    const before = await Promise.all(
      files.map(async (f) => ({ bytes: await readFile(f), mtimeMs: (await stat(f)).mtimeMs })),
    );
    const events = await runJob({ files, strength: 0.8, tileSize: 96 }).done;
    const fileDone = events
      .filter((e) => e.event === 'job:file-done')
      .map((e) => e.payload as JobEvents['job:file-done']);
    expect(fileDone.map((d) => [d.path.split('/').pop(), d.error?.message ?? 'ok'])).toEqual([
      ['grey-01.jpg', 'ok'],
      ['truncated.jpg', 'truncated.jpg: not a valid JPEG (truncated at byte 900)'],
      ['colour.png', 'ok'],
      ['notes.png', 'notes.png: not an image Clearframe can read (unrecognised format)'],
      ['grey-02.jpg', 'ok'],
    ]);
    expect(events.at(-1)).toEqual({
      event: 'job:done',
      payload: expect.objectContaining({ succeeded: 3, failed: 2, cancelled: 0 }),
    });
    const progress = events
      .filter((e) => e.event === 'job:progress')
      .map((e) => e.payload as JobEvents['job:progress']);
    expect(progress.some((p) => p.fileIndex === 0 && p.tileCount > 1 && p.tileDone === p.tileCount)).toBe(true);
    expect(progress.filter((p) => p.fileIndex === 4).every((p) => p.megapixelsPerSecond > 0)).toBe(true);
    // Progress is by pixels and never goes back.
    const fractions = progress.map((p) => p.fraction);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!)).toBe(true);
    expect((await readdir(join(photos, 'denoised'))).sort()).toEqual(['colour.png', 'grey-01.jpg', 'grey-02.jpg']);
    const out = await sharp(join(photos, 'denoised', 'colour.png')).metadata();
    expect([out.width, out.height, out.channels]).toEqual([160, 128, 3]);
    for (const [i, f] of files.entries()) {
      expect(Buffer.compare(await readFile(f), before[i]!.bytes)).toBe(0);
      expect((await stat(f)).mtimeMs).toBe(before[i]!.mtimeMs);
    }
  });

  it('skips photos that already have a denoised copy by the naming rule, or writes another copy when asked', async () => {
    const files = ['grey-01.jpg', 'colour.png'].map((f) => join(photos, f));
    const pattern = { outputPattern: 'again/{name}', tileSize: 96, strength: 1 };
    const first = await runJob({ files, ...pattern }).done;
    expect(first.at(-1)?.payload).toMatchObject({ succeeded: 2, skipped: 0 });
    const before = await readFile(join(photos, 'again', 'colour.png'));

    const skipped = await runJob({ files, ...pattern, ifCopyExists: 'skip' }).done;
    const skippedDone = skipped
      .filter((e) => e.event === 'job:file-done')
      .map((e) => e.payload as JobEvents['job:file-done']);
    expect(skippedDone.map((d) => [d.skipped, d.outputPath])).toEqual([
      [true, join(photos, 'again', 'grey-01.jpg')],
      [true, join(photos, 'again', 'colour.png')],
    ]);
    expect(skipped.at(-1)?.payload).toMatchObject({ succeeded: 0, failed: 0, skipped: 2, cancelled: 0 });
    expect(Buffer.compare(await readFile(join(photos, 'again', 'colour.png')), before)).toBe(0);

    const another = await runJob({ files: [files[1]], ...pattern, ifCopyExists: 'write-another' }).done;
    expect(another.find((e) => e.event === 'job:file-done')?.payload).toMatchObject({
      outputPath: join(photos, 'again', 'colour (2).png'),
    });
    expect((await readdir(join(photos, 'again'))).sort()).toEqual(['colour (2).png', 'colour.png', 'grey-01.jpg']);
  });

  it('survives an engine crash: the file in flight fails with engine-crashed, the batch goes on', async () => {
    const files = ['grey-03.jpg', 'grey-04.jpg', 'colour.png'].map((f) => join(photos, f));
    const startsBefore = client.starts;
    let crashed = false;
    const events = await runJob({ files, strength: 1, tileSize: 64, outputPattern: 'crash/{name}' }, (e) => {
      if (!crashed && e.event === 'job:progress' && e.payload.fileIndex === 1 && e.payload.tileDone === 1) {
        crashed = true;
        void client.crashForTest();
      }
    }).done;
    const fileDone = events
      .filter((e) => e.event === 'job:file-done')
      .map((e) => e.payload as JobEvents['job:file-done']);
    expect(fileDone.map((d) => d.error?.code ?? 'ok')).toEqual(['ok', 'engine-crashed', 'ok']);
    expect(client.starts).toBe(startsBefore + 1);
    expect((await readdir(join(photos, 'crash'))).sort()).toEqual(['colour.png', 'grey-03.jpg']);
  });

  it('cancels within a tile and leaves no partial files', async () => {
    const files = ['grey-01.jpg', 'grey-02.jpg', 'grey-03.jpg'].map((f) => join(photos, f));
    let jobId = '';
    let tilesAfterCancel = 0;
    let cancelled = false;
    const job = runJob({ files, strength: 1, tileSize: 64, outputPattern: 'cancel/{name}' }, (e) => {
      if (e.event !== 'job:progress') return;
      if (cancelled) tilesAfterCancel++;
      if (!cancelled && e.payload.fileIndex === 0 && e.payload.tileDone === 2) {
        cancelled = queue.cancel(jobId);
      }
    });
    jobId = job.jobId;
    const events = await job.done;
    expect(cancelled).toBe(true);
    // No progress after Cancel (the engine's stop between tiles is tested in denoise-tiled.test.ts).
    expect(tilesAfterCancel).toBe(0);
    expect(events.at(-1)!.payload).toEqual(expect.objectContaining({ succeeded: 0, failed: 0, cancelled: 3 }));
    const folder = await readdir(join(photos, 'cancel')).catch(() => [] as string[]);
    expect(folder).toEqual([]);
  });

  it('renders a preview of a region: original and denoised PNGs of the clamped region', async () => {
    const preview = await client.preview(
      { path: join(photos, 'colour.png'), region: { x: 100, y: 90, width: 100, height: 100 }, maxSide: 1024 },
      { strength: 1 },
    ).result;
    expect(preview.region).toEqual({ x: 100, y: 90, width: 60, height: 38 });
    const original = await sharp(Buffer.from(preview.originalPng, 'base64'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const denoised = await sharp(Buffer.from(preview.denoisedPng, 'base64'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([original.info.width, original.info.height, denoised.info.width, denoised.info.height]).toEqual([
      60, 38, 60, 38,
    ]);
    const source = await sharp(join(photos, 'colour.png'))
      .extract({ left: 100, top: 90, width: 60, height: 38 })
      .raw()
      .toBuffer();
    expect(Buffer.compare(original.data, source)).toBe(0);
    expect(Buffer.compare(denoised.data, source)).not.toBe(0);
    expect(preview.modelId).toBe('colour');
    expect(preview.runtime).toBe('onnxruntime:cpu');
  });
});

describe('shutdown while a run trains', () => {
  it('the engine stops the run with a checkpoint and exits cleanly when its parent goes', async () => {
    // A session thread inside ONNX Runtime when the process exits makes it abort (SIGABRT,
    // "terminate called after throwing an instance of 'Napi::Error'") instead of exiting.
    const entry = siblingEntry(
      pathToFileURL(join(repoRoot, 'src-main/engine/process/engine-main.ts')).href,
      'engine-main',
    );
    let child: ChildProcess | undefined;
    const training = new EngineClient({ shippedDir: join(root, 'shipped'), userDir: join(root, 'user') }, () =>
      forkTransport(entry, process.env, (c) => (child = c)),
    );
    const data = join(root, 'train-data');
    await mkdir(data, { recursive: true });
    for (const n of ['01', '02', '03', '04']) await (await greyPhoto(n)).png().toFile(join(data, `${n}.png`));
    const out = join(root, 'run-shutdown');
    let steps = 0;
    const config = TrainConfig.parse({
      ...GREY_GAUSSIAN_RECIPE,
      data,
      out,
      arch: 'dcae-res-nl',
      patch: 64,
      batch: 8,
      epochs: 1,
      stepsPerEpoch: 100_000,
      valImages: 1,
      valCrop: 16,
      workers: 1,
      checkpointEvery: 0,
    });
    await training.startTraining(config, (p) => (steps = Math.max(steps, p.step)));
    while (steps < 2) await new Promise((r) => setTimeout(r, 50));
    const exited = new Promise<[number | null, string | null]>((resolve) =>
      child!.once('exit', (code, signal) => resolve([code, signal])),
    );
    child!.disconnect();
    expect(await exited).toEqual([0, null]);
    expect(JSON.parse(await readFile(join(out, 'checkpoints', 'latest.json'), 'utf8'))).toHaveProperty('step');
    await training.dispose();
  });
});

describe('dispose', () => {
  it('a request sent as the engine is let go fails as engine-crashed, not with a TypeError', async () => {
    const client = new EngineClient({ shippedDir: join(root, 'shipped'), userDir: join(root, 'user') });
    await client.currentTraining(); // the engine is up
    // The request's start() has resolved, and dispose() runs before the request is sent.
    const request = client.currentTraining();
    const disposed = client.dispose();
    await expect(request).rejects.toMatchObject({ code: 'engine-crashed', message: 'The engine was shut down' });
    await disposed;
  });
});
