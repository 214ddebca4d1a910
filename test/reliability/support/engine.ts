// The real engine for reliability tests: EngineClient forking the real engine process (through its
// TransportFactory, so the test holds the child: SIGKILL it, read its peak memory), the real
// JobQueue, and model folders with real architectures (random weights: plumbing, not quality).
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JobQueue, type JobEvents } from '../../../src-main/engine-client/job-queue.js';
import { EngineClient } from '../../../src-main/engine-client/engine-client.js';
import { forkTransport, siblingEntry, type EngineTransport } from '../../../src-main/engine-client/transport.js';
import { DenoiseJob } from '../../../src-main/engine/contract/denoise-job.js';
import {
  DenoiseStartRequest,
  type JobDone,
  type JobFileDone,
  type JobProgress,
} from '../../../src-shared/schemas/denoise.js';
import { testCard, writeRandomModelFolder } from '../../helpers/model-fixtures.js';
import { repoRoot } from './env.js';

export interface ModelDirs {
  shippedDir: string;
  userDir: string;
}

/** A grey and a colour default model (seed DCAE, random weights) in `root`/shipped. */
export async function makeModels(root: string): Promise<ModelDirs> {
  const shippedDir = join(root, 'shipped');
  await writeRandomModelFolder(join(shippedDir, 'grey'), testCard({ id: 'grey' }));
  await writeRandomModelFolder(join(shippedDir, 'colour'), testCard({ id: 'colour', channels: 3 }));
  return { shippedDir, userDir: join(root, 'user') };
}

/** Peak (VmHWM) and current (VmRSS) resident memory of a live process in MiB; NaN when unknown. */
export async function memoryMiB(pid: number | undefined): Promise<{ peak: number; now: number }> {
  if (pid === undefined) return { peak: Number.NaN, now: Number.NaN };
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const read = (key: string): number => {
    const kb = new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1];
    return kb === undefined ? Number.NaN : Number(kb) / 1024;
  };
  return { peak: read('VmHWM'), now: read('VmRSS') };
}

export interface JobRun {
  jobId: string;
  progress: JobProgress[];
  fileDone: JobFileDone[];
  done: JobDone;
}

export interface StartedJob {
  jobId: string;
  progress: JobProgress[];
  fileDone: JobFileDone[];
  finished: Promise<JobRun>;
}

export class EngineHarness {
  readonly children: ChildProcess[] = [];
  readonly client: EngineClient;
  readonly queue: JobQueue;

  /** `pixelLimit`: the user's maxPixels setting, sent with every job; `thumbnailDir` lets it make thumbnails. */
  constructor(
    dirs: ModelDirs & { thumbnailDir?: string },
    private readonly pixelLimit?: number,
  ) {
    const entry = siblingEntry(
      pathToFileURL(join(repoRoot, 'src-main/engine/process/engine-main.ts')).href,
      'engine-main',
    );
    const factory = (): EngineTransport => forkTransport(entry, process.env, (child) => this.children.push(child));
    this.client = new EngineClient(dirs, factory);
    this.queue = new JobQueue(this.client);
  }

  /** The engine process now running, if any. */
  current(): ChildProcess | undefined {
    const last = this.children.at(-1);
    return last && last.exitCode === null && last.signalCode === null ? last : undefined;
  }

  start(
    request: Record<string, unknown>,
    options: { outDir?: string; onEvent?: <E extends keyof JobEvents>(event: E, payload: JobEvents[E]) => void } = {},
  ): StartedJob {
    const progress: JobProgress[] = [];
    const fileDone: JobFileDone[] = [];
    let finish!: (run: JobRun) => void;
    const finished = new Promise<JobRun>((resolve) => (finish = resolve));
    const { files, ...job } = request;
    const jobId = this.queue.start(
      DenoiseStartRequest.shape.files.parse(files),
      DenoiseJob.parse({
        ...job,
        ...(options.outDir ? { outDir: options.outDir } : {}),
        ...(this.pixelLimit ? { pixelLimit: this.pixelLimit } : {}),
      }),
      (event, payload) => {
        if (event === 'job:progress') progress.push(payload as JobProgress);
        if (event === 'job:file-done') fileDone.push(payload as JobFileDone);
        options.onEvent?.(event, payload);
        if (event === 'job:done') finish({ jobId, progress, fileDone, done: payload as JobDone });
      },
    );
    return { jobId, progress, fileDone, finished };
  }

  async run(
    request: Record<string, unknown>,
    options: Parameters<EngineHarness['start']>[1] = {},
    timeoutMs = 240_000,
  ): Promise<JobRun> {
    const job = this.start(request, options);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new Error(`job ${job.jobId} did not finish in ${timeoutMs} ms (${job.fileDone.length} files done)`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([job.finished, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async dispose(): Promise<void> {
    await this.client.dispose();
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
