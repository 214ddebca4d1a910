// A long batch through the engine process (issue #9, load): generated photos of varied sizes
// (64–256 px sides, grey and colour, PNG and JPEG). Every file succeeds in one engine process and
// the engine's memory stays bounded (peak RSS). Throughput from the first to the last hundred is a
// wall-clock figure on shared cores: it goes to the reliability report, not into an assertion.
// 500 photos with CLEARFRAME_RELIABILITY_FULL=1; a 60-photo version (first/last 20) in the default run.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeLoadCorpus } from '../../scripts/make-bad-corpus.js';
import { EngineHarness, makeModels, memoryMiB } from './support/engine.js';
import { fullRun, listFiles, looksTemporary, removeTempDirs, tempDir } from './support/env.js';
import { FigureRecorder } from './support/figures.js';

const COUNT = Number(process.env.CLEARFRAME_LOAD_IMAGES ?? (fullRun ? 500 : 60));
const WINDOW = COUNT >= 200 ? 100 : Math.max(1, Math.floor(COUNT / 3));
const figures = new FigureRecorder('load-engine');
let engine: EngineHarness | undefined;

afterAll(async () => {
  await engine?.dispose();
  await removeTempDirs();
});

describe(`${COUNT} photos through the engine process`, () => {
  it(
    'all succeed in one engine process, with bounded memory (throughput first and last in the report)',
    async () => {
      const root = await tempDir('load');
      const folder = join(root, 'photos');
      const files = await makeLoadCorpus(folder, COUNT);
      engine = new EngineHarness(await makeModels(root));
      const finishedAt: number[] = [];
      const rss: number[] = [];
      let peak = 0;
      const sample = async (): Promise<void> => {
        const memory = await memoryMiB(engine!.current()?.pid);
        if (Number.isFinite(memory.peak)) peak = Math.max(peak, memory.peak);
        if (Number.isFinite(memory.now)) rss.push(memory.now);
      };
      const sampler = setInterval(() => void sample(), 250);
      const started = performance.now();
      let run;
      try {
        run = await engine.run(
          { files, strength: 1 },
          { onEvent: (event) => void (event === 'job:file-done' && finishedAt.push(performance.now())) },
          COUNT * 3_000,
        );
        await sample();
      } finally {
        clearInterval(sampler);
      }
      const seconds = (performance.now() - started) / 1000;
      const failures = run.fileDone
        .filter((d) => d.error)
        .map((d) => `${d.path.split('/').pop()}: ${d.error!.message}`);
      // Throughput of a window: files in it ÷ the time from the end of the file before it to its last.
      const rate = (from: number, to: number): number =>
        (to - from) / ((finishedAt[to - 1]! - (from === 0 ? started : finishedAt[from - 1]!)) / 1000);
      const first = rate(0, WINDOW);
      const last = rate(COUNT - WINDOW, COUNT);
      const label = COUNT >= 200 ? 'hundred' : `${WINDOW}`;
      figures.measure(`engine load: photos`, COUNT);
      figures.measure(`engine load: failed`, failures.length);
      figures.measure(`engine load: total seconds`, seconds);
      figures.measure(`engine load: photos/s first ${label}`, first);
      figures.measure(`engine load: photos/s last ${label}`, last);
      figures.measure(`engine load: photos/s last ÷ first ${label}`, last / first);
      figures.measure('engine load: peak RSS of the engine process (MiB)', peak);
      figures.measure('engine load: RSS at the end (MiB)', rss.at(-1) ?? Number.NaN);
      expect(failures.slice(0, 5)).toEqual([]);
      expect(run.done.succeeded).toBe(COUNT);
      expect(engine.children).toHaveLength(1);
      expect((await listFiles(folder)).filter(looksTemporary)).toEqual([]);
      // Bounded memory: photos this small need well under a gigabyte, and no growth with the count.
      expect(peak).toBeGreaterThan(0);
      expect(peak).toBeLessThan(1024);
    },
    COUNT * 3_000 + 120_000,
  );
});
