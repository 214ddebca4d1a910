// Batch jobs: files run one after another (the network already uses every core), jobs in the order
// they were started. The queue lives in the main process and the work in the engine process, so a
// crash there loses only the file in flight: it is reported as `engine-crashed`, the engine
// restarts on the next file, and the batch goes on. A crash after the output was moved into place
// (the engine announces its path first) is checked instead: a whole output is reported as done.
import { randomUUID } from 'node:crypto';
import { ClearframeError, type ApiError } from '../../src-shared/contract-core.js';
import type { EventPayload } from '../../src-shared/contract.js';
import type { DenoiseJob } from '../engine/contract/denoise-job.js';
import type { FileDenoiser, RunningTask } from './engine-api.js';
import { batchEstimate } from './job-estimate.js';

export interface JobEvents {
  'job:progress': EventPayload<'job:progress'>;
  'job:file-done': EventPayload<'job:file-done'>;
  'job:done': EventPayload<'job:done'>;
}
/** One event with its payload; RequestContext.emit fits, so does a plain printer. */
export type JobEmitter = (
  ...args: { [E in keyof JobEvents]: [event: E, payload: JobEvents[E]] }[keyof JobEvents]
) => void;

export type { FileDenoiser } from './engine-api.js';

/**
 * Checked right before each file is processed; answers the path to process or throws the file's
 * error (e.g. not found: deleted since the batch started). One bad file fails alone. Kept in this
 * process (the access rules live here), never sent to the engine.
 */
export type FileCheck = (path: string) => Promise<string>;

/** How a job is run beyond its files and its DenoiseJob. */
export interface JobOptions {
  checkFile?: FileCheck;
  /** Each file's pixel count when known in advance (the library's scan): weights progress and the ETA. */
  pixels?: readonly (number | undefined)[];
}

/**
 * How long a cancelled job waits for the file in flight to stop before it ends regardless: a file
 * stuck in the engine (a disk that never answers) must not keep the job, and the queue behind it,
 * from ending. Cancelling stops a healthy file within one tile, far sooner.
 */
export const CANCEL_GRACE_MS = 15_000;

interface Job {
  id: string;
  files: readonly string[];
  /** Sent with each file as it is. */
  denoise: DenoiseJob;
  checkFile?: FileCheck;
  /** Each file's pixel count for progress and the ETA: known in advance or once done; 0 when skipped or failed (see batchEstimate). */
  pixels: (number | undefined)[];
  emit: JobEmitter;
  cancelled: boolean;
  current?: RunningTask<unknown> | undefined;
  /** Rejects with 'cancelled' CANCEL_GRACE_MS after Cancel: the file in flight is then given up. */
  givenUp: Promise<never>;
  giveUp: () => void;
}

function toFileError(error: unknown, path: string): ApiError {
  const apiError: ApiError =
    error instanceof ClearframeError ? error.toApiError() : { code: 'internal', message: String(error) };
  return { ...apiError, subject: apiError.subject ?? path };
}

export class JobQueue {
  private readonly waiting: Job[] = [];
  private readonly jobs = new Map<string, Job>();
  private running: Promise<void> | undefined;

  constructor(private readonly engine: FileDenoiser) {}

  /** Queues `job` for `files`; its events go to `emit`. The job goes to the engine unchanged, file by file. */
  start(files: readonly string[], denoise: DenoiseJob, emit: JobEmitter, options: JobOptions = {}): string {
    const { checkFile } = options;
    let giveUp!: () => void;
    const givenUp = new Promise<never>((_, reject) => {
      giveUp = () =>
        reject(new ClearframeError('cancelled', 'Cancelled; the file in flight did not stop in time and was given up'));
    });
    givenUp.catch(() => undefined); // raced only while a file is in flight
    const job: Job = {
      givenUp,
      giveUp,
      id: randomUUID(),
      files,
      denoise,
      emit,
      cancelled: false,
      pixels: files.map((_, i) => options.pixels?.[i] || undefined),
      ...(checkFile ? { checkFile } : {}),
    };
    this.jobs.set(job.id, job);
    this.waiting.push(job);
    this.running ??= this.drain().finally(() => (this.running = undefined));
    return job.id;
  }

  /** Stops a job within one tile; its remaining files are not started. False if it is not running. */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.cancelled) return false;
    job.cancelled = true;
    job.current?.cancel();
    setTimeout(job.giveUp, CANCEL_GRACE_MS).unref();
    return true;
  }

  /** Resolves when every queued job has finished. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (let job = this.waiting.shift(); job; job = this.waiting.shift()) {
      await this.runJob(job);
      this.jobs.delete(job.id);
    }
  }

  /** After a crash, asks the (restarted) engine about an announced output; any doubt counts as not whole. */
  private async outputIsWhole(path: string): Promise<boolean> {
    if (!this.engine.checkOutput) return false;
    return this.engine.checkOutput(path).then(
      (state) => state === 'whole',
      () => false,
    );
  }

  private async runJob(job: Job): Promise<void> {
    const { files } = job;
    const started = performance.now();
    const elapsed = (): number => (performance.now() - started) / 1000;
    let succeeded = 0;
    let failed = 0;
    let skipped = 0;
    for (let fileIndex = 0; fileIndex < files.length && !job.cancelled; fileIndex++) {
      const path = files[fileIndex]!;
      const progress = (tileDone: number, tileCount: number): void => {
        // Tile reports already on their way from the engine when the user cancelled are stale:
        // the bar must not move on after Cancel.
        if (job.cancelled) return;
        const estimate = batchEstimate(elapsed(), job.pixels, fileIndex, tileCount ? tileDone / tileCount : 0);
        job.emit('job:progress', {
          jobId: job.id,
          fileIndex,
          fileCount: files.length,
          path,
          tileDone,
          tileCount,
          ...estimate,
        });
      };
      progress(0, 0);
      const fileStarted = performance.now();
      const seconds = (): number => (performance.now() - fileStarted) / 1000;
      const checked = job.checkFile
        ? await job.checkFile(path).then(
            (real) => ({ real }),
            (error: unknown) => ({ error }),
          )
        : { real: path };
      if ('error' in checked) {
        failed++;
        job.pixels[fileIndex] = 0;
        job.emit('job:file-done', { jobId: job.id, path, seconds: seconds(), error: toFileError(checked.error, path) });
        continue;
      }
      let announced: string | undefined;
      const task = this.engine.denoiseFile(checked.real, job.denoise, progress, (output) => (announced = output));
      job.current = task;
      try {
        const outcome = await Promise.race([task.result, job.givenUp]);
        // The real count replaces the estimate; a photo left alone took no denoising time.
        job.pixels[fileIndex] = outcome.skipped ? 0 : outcome.pixels;
        if (outcome.skipped) skipped++;
        else succeeded++;
        job.emit('job:file-done', {
          jobId: job.id,
          path,
          outputPath: outcome.outputPath,
          ...(outcome.skipped && { skipped: true }),
          seconds: seconds(),
          modelId: outcome.modelId,
          runtime: outcome.runtime,
          ...(outcome.warning && { warning: outcome.warning }),
        });
      } catch (error) {
        const apiError = toFileError(error, path);
        if (apiError.code === 'cancelled' && job.cancelled) break; // counted below with the files never started
        if (apiError.code === 'engine-crashed' && announced !== undefined && (await this.outputIsWhole(announced))) {
          // The engine died after moving the output into place, before it could say so: the photo is done.
          succeeded++;
          const warning = 'The engine stopped right after writing this file; the output was checked and is whole.';
          job.emit('job:file-done', { jobId: job.id, path, outputPath: announced, seconds: seconds(), warning });
          continue;
        }
        failed++;
        job.pixels[fileIndex] = 0;
        job.emit('job:file-done', { jobId: job.id, path, seconds: seconds(), error: apiError });
      } finally {
        job.current = undefined;
      }
    }
    job.emit('job:done', {
      jobId: job.id,
      succeeded,
      failed,
      skipped,
      cancelled: files.length - succeeded - failed - skipped,
    });
  }
}
