// Faults during a batch (issue #9): cancel at seeded random points, SIGKILL of the engine process
// (during the network, during a write, and between the output's move and its report), a full disk and a read-only output folder. After each:
// finished outputs are whole, no temp or partial file remains, no original changed, and the engine
// (restarted where it died) completes the next run.
import type { ChildProcess } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32, noisyImage } from '../../scripts/make-bad-corpus.js';
import { EngineClient } from '../../src-main/engine-client/engine-client.js';
import { JobQueue } from '../../src-main/engine-client/job-queue.js';
import { forkTransport, siblingEntry, type EngineTransport } from '../../src-main/engine-client/transport.js';
import { DenoiseJob } from '../../src-main/engine/contract/denoise-job.js';
import type { JobDone, JobFileDone } from '../../src-shared/schemas/denoise.js';
import { EngineHarness, makeModels, type JobRun, type ModelDirs } from './support/engine.js';
import { fingerprint, listFiles, looksTemporary, removeTempDirs, repoRoot, tempDir } from './support/env.js';
import { FigureRecorder } from './support/figures.js';
import { mountTmpfs, type Mounted } from './support/tmpfs.js';

const figures = new FigureRecorder('engine-faults');
const SEED = Number(process.env.CLEARFRAME_FAULT_SEED ?? 9);
let root: string;
let models: ModelDirs;
const mounts: Mounted[] = [];

beforeAll(async () => {
  root = await tempDir('faults');
  models = await makeModels(root);
}, 120_000);

afterAll(async () => {
  for (const mount of mounts) mount.unmount();
  await removeTempDirs();
});

/** A folder of `count` small photos (grey and colour, PNG and JPEG), seeded. */
async function photoFolder(name: string, count: number, side = 128): Promise<{ folder: string; files: string[] }> {
  const folder = join(root, name);
  await mkdir(folder, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = join(folder, `photo-${i}.${i % 2 ? 'jpg' : 'png'}`);
    const image = noisyImage(side + (i % 3) * 16, side - (i % 2) * 16, i % 3 === 0 ? 1 : 3, 100 + i);
    await (i % 2 ? image.jpeg({ quality: 90 }) : image.png()).toFile(file);
    files.push(file);
  }
  return { folder, files };
}

/** The checks after any fault; answers the problems found (empty: survived). */
async function afterFault(
  folder: string,
  originals: Map<string, string>,
  fileDone: JobFileDone[],
  outputDir = join(folder, 'denoised'),
  mayHaveLanded: readonly string[] = [],
): Promise<string[]> {
  const problems: string[] = [];
  const everything = [
    ...(await listFiles(folder)).map((f) => join(folder, f)),
    ...(outputDir.startsWith(folder) ? [] : (await listFiles(outputDir)).map((f) => join(outputDir, f))),
  ];
  const leftovers = everything.filter(looksTemporary);
  if (leftovers.length)
    problems.push(`temp/partial files left: ${leftovers.map((f) => f.split('/').pop()).join(', ')}`);
  const reported = new Set(fileDone.flatMap((d) => (d.outputPath ? [d.outputPath] : [])));
  const outputs = everything.filter((f) => f.startsWith(`${outputDir}/`) && !looksTemporary(f));
  for (const output of outputs) {
    const stem = (path: string): string =>
      path
        .split('/')
        .pop()!
        .replace(/\.\w+$/, '');
    if (!reported.has(output) && !mayHaveLanded.some((source) => stem(source) === stem(output)))
      problems.push(`unreported output ${output.split('/').pop()}`);
    try {
      await sharp(output, { failOn: 'warning' }).raw().toBuffer();
    } catch (error) {
      problems.push(`output ${output.split('/').pop()} is not whole: ${String(error)}`);
    }
  }
  for (const output of reported) if (!outputs.includes(output)) problems.push(`reported output missing: ${output}`);
  const after = await fingerprint(folder);
  let unchanged = 0;
  for (const [file, print] of originals) if (after.get(file) === print) unchanged++;
  figures.originals(originals.size, unchanged);
  if (unchanged !== originals.size) problems.push(`${originals.size - unchanged} originals changed`);
  return problems;
}

describe('cancel at seeded random points', () => {
  it('leaves finished outputs whole and nothing else, three times over', async () => {
    const random = mulberry32(SEED);
    const engine = new EngineHarness(models);
    try {
      for (let round = 0; round < 3; round++) {
        const { folder, files } = await photoFolder(`cancel-${round}`, 6);
        const originals = await fingerprint(folder);
        // Cancel at the n-th event of the job: between files, inside the network, or just after a write.
        const cancelAt = 1 + Math.floor(random() * 40);
        let seen = 0;
        let jobId = '';
        const job = engine.start(
          { files, strength: 1, tileSize: 64 },
          {
            onEvent: () => {
              if (++seen === cancelAt) engine.queue.cancel(jobId);
            },
          },
        );
        jobId = job.jobId;
        const run = await job.finished;
        const problems = await afterFault(folder, originals, run.fileDone);
        if (run.done.succeeded + run.done.failed + run.done.cancelled !== files.length)
          problems.push(`counts do not add up: ${JSON.stringify(run.done)}`);
        const failed = run.fileDone.filter((d) => d.error);
        if (failed.length)
          problems.push(`files failed instead of being cancelled: ${failed.map((d) => d.error?.message).join('; ')}`);
        figures.fault(
          problems.length === 0,
          problems.length ? `cancel at event ${cancelAt}: ${problems.join('; ')}` : undefined,
        );
        figures.note(
          `cancel round ${round}: at event ${cancelAt}, ${run.done.succeeded} done, ${run.done.cancelled} cancelled`,
        );
        expect(problems).toEqual([]);
      }
      // The engine still works after all those cancels.
      const { files } = await photoFolder('after-cancel', 2);
      const next = await engine.run({ files, strength: 1 });
      expect(next.done).toMatchObject({ succeeded: 2, failed: 0 });
    } finally {
      await engine.dispose();
    }
  });
});

describe('SIGKILL of the engine process mid-batch', () => {
  async function killDuring(moment: 'network' | 'write'): Promise<void> {
    const engine = new EngineHarness(models);
    try {
      // Bigger photos for the write case, so the kill lands while the temp file is being written.
      const { folder, files } = await photoFolder(`kill-${moment}`, 5, moment === 'write' ? 320 : 128);
      const originals = await fingerprint(folder);
      const outputDir = join(folder, 'denoised');
      await mkdir(outputDir);
      let killed = false;
      let tempSeenAtKill: string | undefined;
      const kill = (): void => {
        if (killed) return;
        killed = true;
        engine.current()?.kill('SIGKILL');
      };
      const watcher =
        moment === 'write'
          ? watch(outputDir, (_event, name) => {
              if (!killed && name && name.endsWith('.clearframe-tmp')) {
                tempSeenAtKill = name;
                kill();
              }
            })
          : undefined;
      let run: JobRun;
      try {
        run = await engine.run(
          { files, strength: 1, tileSize: 64 },
          {
            onEvent: (event, payload) => {
              // The network case: the second file's second tile.
              if (
                moment === 'network' &&
                event === 'job:progress' &&
                (payload as { fileIndex: number; tileDone: number }).fileIndex === 1 &&
                (payload as { tileDone: number }).tileDone === 2
              )
                kill();
            },
          },
        );
      } finally {
        watcher?.close();
      }
      const crashed = run.fileDone.filter((d) => d.error?.code === 'engine-crashed');
      // fs.watch reports the temp file after the fact, so the kill can land after the file was moved
      // into place and before the engine said so. The engine announced that path before the move, so
      // the output is checked and reported as done: every output that exists must be reported.
      const recovered = run.fileDone.filter((d) => d.outputPath && /stopped right after writing/.test(d.warning ?? ''));
      const problems = await afterFault(folder, originals, run.fileDone, outputDir);
      if (!killed) problems.push('the kill never happened');
      if (crashed.length + recovered.length !== 1)
        problems.push(
          `expected exactly one engine-crashed or recovered file, got ${crashed.length} + ${recovered.length}`,
        );
      if (crashed[0] && !/stopped unexpectedly|restart/i.test(crashed[0].error!.message))
        problems.push(`crash message unclear: ${crashed[0].error!.message}`);
      if (run.done.succeeded !== files.length - crashed.length)
        problems.push(`the rest of the batch did not complete: ${JSON.stringify(run.done)}`);
      if (engine.children.length !== 2)
        problems.push(`expected one restart, saw ${engine.children.length} engine processes`);
      // The next run completes, in the same engine client.
      const next = await engine.run({ files, strength: 1, outputPattern: 'second/{name}.{ext}' });
      if (next.done.succeeded !== files.length)
        problems.push(
          `the next run failed: ${next.fileDone
            .map((d) => d.error?.message)
            .filter(Boolean)
            .join('; ')}`,
        );
      figures.fault(
        problems.length === 0,
        problems.length ? `SIGKILL during ${moment}: ${problems.join('; ')}` : undefined,
      );
      if (moment === 'write')
        figures.note(
          `SIGKILL during write: temp file ${tempSeenAtKill ? 'present' : 'not seen'} at the kill; ${recovered.length ? 'output had landed: reported as done' : 'reported as engine-crashed'}`,
        );
      expect(problems).toEqual([]);
      expect(await readdir(outputDir)).not.toContain(expect.stringMatching(/clearframe-tmp/));
    } finally {
      await engine.dispose();
    }
  }

  it('during the network: the file in flight fails as engine-crashed, the engine restarts, the rest completes', () =>
    killDuring('network'));
  it('during a write: no half-written output or temp file remains, and an output that landed is reported', () =>
    killDuring('write'));

  it('after the output was moved into place, before the engine reported it: the output is checked and reported as done', async () => {
    // The engine's answer for the first file is held back and the engine killed instead: exactly the
    // moment between the move and the report. The engine announced the path before the move.
    const entry = siblingEntry(
      pathToFileURL(join(repoRoot, 'src-main/engine/process/engine-main.ts')).href,
      'engine-main',
    );
    const children: ChildProcess[] = [];
    let armed = true;
    const factory = (): EngineTransport => {
      const inner = forkTransport(entry, process.env, (child) => children.push(child));
      const child = children.at(-1)!;
      let announcedTask: number | undefined;
      return {
        ...inner,
        onMessage: (listener) =>
          inner.onMessage((raw) => {
            const message = raw as { type?: string; event?: string; taskId?: number };
            if (armed && message.type === 'event' && message.event === 'output') announcedTask = message.taskId;
            if (armed && message.type === 'result' && message.taskId === announcedTask) {
              armed = false;
              child.kill('SIGKILL');
              return; // the report never arrives
            }
            listener(raw);
          }),
      };
    };
    const client = new EngineClient(models, factory);
    const queue = new JobQueue(client);
    try {
      const { folder, files } = await photoFolder('kill-after-move', 3);
      const originals = await fingerprint(folder);
      const fileDone: JobFileDone[] = [];
      const done = await new Promise<JobDone>((resolve) => {
        queue.start(files, DenoiseJob.parse({ strength: 1 }), (event, payload) => {
          if (event === 'job:file-done') fileDone.push(payload);
          if (event === 'job:done') resolve(payload);
        });
      });
      const problems = await afterFault(folder, originals, fileDone);
      if (armed) problems.push('the kill never happened');
      if (children.length !== 2) problems.push(`expected one restart, saw ${children.length} engine processes`);
      const first = fileDone.find((d) => d.path === files[0]);
      if (!first?.outputPath || !/stopped right after writing/.test(first.warning ?? ''))
        problems.push(`the landed output was not reported as done: ${JSON.stringify(first)}`);
      if (done.succeeded !== files.length || done.failed !== 0)
        problems.push(`expected every file done: ${JSON.stringify(done)}`);
      figures.fault(
        problems.length === 0,
        problems.length ? `SIGKILL after the move: ${problems.join('; ')}` : undefined,
      );
      expect(problems).toEqual([]);
    } finally {
      await client.dispose();
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});

describe('disk full and read-only output folders', () => {
  it('disk full: each file that does not fit fails alone with a message, temp files are cleaned', async (context) => {
    const mount = await mountTmpfs(join(root, 'full'), { sizeBytes: 320 * 1024 });
    if (typeof mount === 'string') return context.skip(mount);
    mounts.push(mount);
    const { folder, files } = await photoFolder('to-full-disk', 6, 224);
    const originals = await fingerprint(folder);
    const engine = new EngineHarness(models);
    try {
      // Strength 0 keeps the photos' noise, so the PNGs do not compress away and the disk fills.
      const run = await engine.run({ files, strength: 0, outputFormat: 'png' }, { outDir: mount.path });
      const full = run.fileDone.filter((d) => d.error);
      const problems = await afterFault(folder, originals, run.fileDone, mount.path);
      if (run.fileDone.length !== files.length) problems.push('the batch stopped early');
      if (full.length === 0) problems.push('no file hit the full disk (tmpfs too big?)');
      for (const d of full) {
        if (
          d.error?.code !== 'io' ||
          !/disk full|no space|ENOSPC/i.test(d.error.message) ||
          d.error.message.includes('\n')
        )
          problems.push(`unclear disk-full error: ${d.error?.code} ${d.error?.message}`);
        if (
          !d.error?.message.includes(
            d.path
              .split('/')
              .pop()!
              .replace(/\.\w+$/, ''),
          )
        )
          problems.push(`error does not name the file: ${d.error?.message}`);
      }
      if (engine.children.length !== 1) problems.push('the engine crashed');
      for (let i = 0; i < full.length; i++) figures.fault(problems.length === 0);
      figures.note(
        `disk full: ${run.done.succeeded} written, ${full.length} refused (${full[0]?.error?.message ?? '-'})`,
      );
      expect(problems).toEqual([]);
    } finally {
      await engine.dispose();
    }
  });

  it('read-only output folder: a clear error, before any photo is denoised', async (context) => {
    const mount = await mountTmpfs(join(root, 'readonly'), { sizeBytes: 1024 * 1024, readOnly: true });
    if (typeof mount === 'string') return context.skip(mount);
    mounts.push(mount);
    const { folder, files } = await photoFolder('to-read-only', 3);
    const originals = await fingerprint(folder);
    const engine = new EngineHarness(models);
    try {
      const run = await engine.run({ files, strength: 1 }, { outDir: mount.path });
      const problems = await afterFault(folder, originals, run.fileDone, mount.path);
      for (const d of run.fileDone) {
        if (!d.error || !/read-only|EROFS|permission|not writable|cannot be written/i.test(d.error.message))
          problems.push(`${d.path.split('/').pop()}: ${d.error ? `unclear: ${d.error.message}` : 'written?'}`);
      }
      const worked = run.progress.filter((p) => p.tileCount > 0).length;
      if (worked > 0) problems.push(`the network ran (${worked} tile events) before the unwritable folder was noticed`);
      figures.fault(problems.length === 0, problems.length ? `read-only output: ${problems.join('; ')}` : undefined);
      expect(problems).toEqual([]);
    } finally {
      await engine.dispose();
      await rm(join(root, 'to-read-only'), { recursive: true, force: true });
    }
  });
});
