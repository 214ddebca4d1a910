// The engine process runs below the UI: every thread of it (the main one, V8's helpers, and the pools
// that did the denoising: ONNX Runtime's, libvips's) is at nice 10, so a busy engine does not starve the window.
// Read from /proc after a real denoise through the engine client (Linux only).
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DenoiseJob } from '../../src-main/engine/contract/denoise-job.js';
import { colourPhoto } from '../helpers/samples.js';
import { EngineHarness, makeModels, type ModelDirs } from '../reliability/support/engine.js';
import { removeTempDirs, tempDir } from '../reliability/support/env.js';

// Not imported from background-priority.ts: importing it would lower this test process too, and the
// engine it forks would inherit that whether or not the engine sets its own.
const ENGINE_NICENESS = 10;

let models: ModelDirs;
beforeAll(async () => {
  models = await makeModels(await tempDir('priority'));
});
afterAll(removeTempDirs);

/** Nice value and CPU ticks (user + system) of every thread of `pid`. */
async function threads(pid: number): Promise<{ nice: number; ticks: number }[]> {
  const ids = await readdir(`/proc/${pid}/task`);
  return Promise.all(
    ids.map(async (id) => {
      // Fields after the ")" of the command name: state is field 3, utime 14, stime 15, nice 19.
      const fields = (await readFile(`/proc/${pid}/task/${id}/stat`, 'utf8')).split(') ')[1]!.split(' ');
      return { nice: Number(fields[16]), ticks: Number(fields[11]) + Number(fields[12]) };
    }),
  );
}

describe.runIf(process.platform === 'linux')('the engine process', () => {
  it('runs every thread below the UI', async (context) => {
    const [runner] = await threads(process.pid);
    // A test runner already at the engine's niceness (e.g. `nice -n 10 npm test`) cannot tell the two apart.
    if (runner!.nice >= ENGINE_NICENESS)
      context.skip(
        `this test process already runs at nice ${runner!.nice}; the engine's ${ENGINE_NICENESS} would prove nothing`,
      );
    const engine = new EngineHarness(models);
    try {
      const outDir = await tempDir('priority-out');
      const photo = join(await tempDir('priority-photo'), 'colour.png');
      await (await colourPhoto(0)).png().toFile(photo);
      const task = engine.client.denoiseFile(photo, DenoiseJob.parse({ strength: 1, outDir }));
      await task.result;
      const pid = engine.current()!.pid!;
      const [self] = await threads(process.pid);
      expect(self!.nice).toBeLessThan(ENGINE_NICENESS); // else the engine would inherit it and prove nothing
      const all = await threads(pid);
      expect(all[0]!.nice).toBe(ENGINE_NICENESS); // the first task is the main thread
      // Every thread: the ones Node started before the engine's code ran, and the pools that did the work.
      expect(all.length).toBeGreaterThan(4);
      expect(all.map((t) => t.nice)).toEqual(all.map(() => ENGINE_NICENESS));
      expect(all.reduce((sum, t) => sum + t.ticks, 0)).toBeGreaterThan(0);
    } finally {
      await engine.client.dispose();
    }
  }, 120_000);
});
