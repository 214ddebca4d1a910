// The second hostile review's bounded-input cases (issue #23): patterns that cannot name each
// photo's output uniquely or portably, and the like. Each case was accepted before its fix.
import { cp, mkdir, readFile, rm, symlink, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noisyImage } from '../../scripts/make-bad-corpus.js';
import { execFileSync } from 'node:child_process';
import { trainCommand } from '../../src-main/cli/train.js';
import { CANCEL_GRACE_MS, JobQueue, type JobEvents } from '../../src-main/engine-client/job-queue.js';
import type { FileDenoiser } from '../../src-main/engine-client/engine-api.js';
import { DenoiseJob } from '../../src-main/engine/contract/denoise-job.js';
import { EngineHarness, makeModels } from './support/engine.js';
import { testCard, writeRandomModelFolder } from '../helpers/model-fixtures.js';
import { MAX_IN_FLIGHT_PER_SOCKET } from '../../src-main/host/socket.js';
import { startHost } from '../../src-main/host/server.js';
import { makeApi, type TestApi } from './support/api.js';
import { openSocket, SocketClient } from './support/host-client.js';
import { fingerprint, removeTempDirs, repoRoot, tempDir } from './support/env.js';
import { ModelCatalog } from '../../src-main/engine/contract/model-catalog.js';
import { FigureRecorder } from './support/figures.js';
import { GREY_GAUSSIAN_RECIPE } from '../helpers/train-recipes.js';

const figures = new FigureRecorder('bounded-inputs');
let root: string;
let api: TestApi;

beforeAll(async () => {
  root = await tempDir('bounded');
  api = makeApi(join(root, 'data'));
});
afterAll(async () => {
  await api.close();
  await removeTempDirs();
});

describe('output patterns', () => {
  /** Expects `pattern` refused as a setting (folder form) and as a batch's file pattern, with `why`. */
  async function refused(setting: string | undefined, file: string | undefined, why: RegExp): Promise<void> {
    const photo = join(root, 'photos', 'a.png');
    const attempts: Array<[string, unknown]> = [
      ...(setting === undefined ? [] : [['settings:set', { outputFolderPattern: setting }] as [string, unknown]]),
      ...(file === undefined ? [] : [['denoise:start', { files: [photo], outputPattern: file }] as [string, unknown]]),
    ];
    for (const [channel, request] of attempts) {
      const result = await api.call(channel, request);
      const ok = !result.ok && result.error.code === 'invalid-request' && why.test(result.error.message);
      figures.badInput(
        ok,
        ok ? undefined : `${channel} ${JSON.stringify(request)}: ${JSON.stringify(result).slice(0, 200)}`,
      );
      expect(ok, `${channel} ${JSON.stringify(request)} → ${JSON.stringify(result).slice(0, 300)}`).toBe(true);
    }
  }

  beforeAll(async () => {
    await mkdir(join(root, 'photos'));
    await noisyImage(32, 32, 3, 1)
      .png()
      .toFile(join(root, 'photos', 'a.png'));
    await noisyImage(32, 32, 3, 2)
      .png()
      .toFile(join(root, 'photos', 'b.png'));
    expect((await api.call('library:open', { folder: join(root, 'photos') })).ok).toBe(true);
  });

  it('refuses a pattern that does not name each photo’s output uniquely, or names it like the photo', async () => {
    const before = await fingerprint(join(root, 'photos'));
    await refused('{name}', '{name}.{ext}', /like its photo/);
    await refused(undefined, '{name}', /like its photo/);
    await refused(undefined, 'out/photo.jpg', /must contain \{name\}/);
    await refused(undefined, '{name}/photo.{ext}', /must contain \{name\} in the file name/);
    expect(await fingerprint(join(root, 'photos'))).toEqual(before);
  });

  it('refuses names Windows or a memory card cannot hold, on every platform', async () => {
    for (const name of ['CON', 'nul.{ext}', 'aux', 'COM1', 'lpt9.txt'])
      await refused(name.includes('{') ? undefined : name, `${name.replace('.{ext}', '')}/{name}.{ext}`, /device name/);
    await refused(undefined, 'NUL.{ext}', /device name/);
    for (const character of ['?', '*', '<', '>', '|', '"'])
      await refused(`best${character}`, `best${character}/{name}.{ext}`, /cannot hold in a name/);
    await refused('denoised.', 'denoised./{name}.{ext}', /ending in a dot or a space/);
    await refused('denoised ', 'denoised /{name}.{ext}', /ending in a dot or a space/);
    await refused('\u202Egpj', '{name}\u202Egpj.exe', /text-direction control/);
  });

  it('still takes the usual patterns', async () => {
    for (const setting of [
      'denoised',
      'clean',
      'denoised/{model}',
      '{name}-clean',
      'Ausgabe/{name}_entrauscht.{ext}',
    ]) {
      const result = await api.call('settings:set', { outputFolderPattern: setting });
      expect(result.ok, `${setting}: ${JSON.stringify(result).slice(0, 200)}`).toBe(true);
    }
  });
});

describe('requests in flight on one socket', () => {
  it('are capped: beyond the cap the host answers "busy" at once, and the rest are answered', async () => {
    const rendererDir = join(root, 'renderer');
    await mkdir(rendererDir, { recursive: true });
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Clearframe</title>');
    await mkdir(join(root, 'burst'));
    await noisyImage(32, 32, 3, 3)
      .png()
      .toFile(join(root, 'burst', 'a.png'));
    const host = await startHost({ port: 0, dataDir: join(root, 'host-data'), rendererDir });
    const socket = await openSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, {
      Origin: `http://127.0.0.1:${host.port}`,
    });
    if (typeof socket === 'number') throw new Error(`socket refused: ${socket}`);
    const client = new SocketClient(socket);
    try {
      // Sent in one burst: every scan waits for the engine process to start, so all are in flight together.
      const sent = 4 * MAX_IN_FLIGHT_PER_SOCKET;
      const results = await Promise.all(
        Array.from({ length: sent }, () => client.call('library:open', { folder: join(root, 'burst') }, 120_000)),
      );
      const busy = results.filter((r) => !r.ok && r.error.code === 'busy').length;
      const answered = results.filter((r) => r.ok).length;
      figures.badInput(busy > 0, busy > 0 ? undefined : `${sent} requests in flight on one socket, none refused`);
      figures.measure('host: requests refused busy of a 128-request burst', busy);
      expect(answered).toBeGreaterThan(0);
      expect(busy).toBeGreaterThanOrEqual(sent - MAX_IN_FLIGHT_PER_SOCKET);
      expect(busy + answered).toBe(sent);
    } finally {
      client.close();
      await host.close();
    }
  }, 180_000);
});

describe('training sizes', () => {
  it('a recipe that needs more memory than the machine has is refused with the estimate, by the CLI, train:estimate and train:start', async () => {
    // Before its fix a batch of 256 patches of 512² drove the engine past 6 GB until the OS killed it.
    const huge = { batch: 256, patch: 512 };
    const cli = await trainCommand([
      '--data',
      join(root, 'no-such-data'),
      '--out',
      join(root, 'huge-run'),
      '--batch',
      '256',
      '--patch',
      '512',
    ]).catch((error: unknown) => error);
    const data = join(root, 'train-data');
    await mkdir(data, { recursive: true });
    await noisyImage(48, 48, 1, 4).png().toFile(join(data, 'a.png'));
    expect((await api.call('library:open', { folder: root })).ok).toBe(true);
    const answers = [cli];
    for (const channel of ['train:estimate', 'train:start']) {
      const result = await api.call(channel, { data, out: join(root, 'huge-run'), ...huge });
      answers.push(result.ok ? result.value : result.error);
    }
    for (const answer of answers) {
      const ok = /needs about [\d.]+ GB of memory; this machine has [\d.]+ GB/.test(
        (answer as { message?: string }).message ?? '',
      );
      figures.badInput(ok, ok ? undefined : `huge recipe: ${JSON.stringify(answer).slice(0, 200)}`);
      expect(answer).toMatchObject({
        code: 'invalid-request',
        message: expect.stringMatching(/needs about [\d.]+ GB of memory; this machine has [\d.]+ GB/),
      });
    }
    // The usual recipe still fits.
    const usual = await api.call('train:estimate', {
      ...GREY_GAUSSIAN_RECIPE,
      data,
      out: join(root, 'usual-run'),
      batch: 4,
      patch: 32,
      epochs: 1,
      stepsPerEpoch: 1,
    });
    expect(usual.ok, JSON.stringify(usual).slice(0, 300)).toBe(true);
  }, 180_000);
});

describe('model folders', () => {
  let base: string;
  let outside: string;
  beforeAll(async () => {
    base = join(root, 'model-base');
    await writeRandomModelFolder(base, testCard({ id: 'base', params: 1_000_000 }));
    outside = join(root, 'outside');
    await mkdir(outside, { recursive: true });
    await writeFile(join(outside, 'secret.txt'), 'SECRET-TOKEN-4242 do not show');
    expect((await api.call('library:open', { folder: root })).ok).toBe(true);
  }, 120_000);

  /** A copy of the base model named `id`, changed by `damage`; import must refuse it with `why`, quoting nothing of `secret.txt`. */
  async function importRefused(
    id: string,
    damage: (folder: string) => Promise<void>,
    why: RegExp,
    source = base,
  ): Promise<void> {
    const folder = join(root, 'imports', id);
    await cp(source, folder, { recursive: true });
    const card = JSON.parse(await readFile(join(folder, 'card.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(folder, 'card.json'), JSON.stringify({ ...card, id }));
    await damage(folder);
    const result = await api.call('models:import', { folder });
    const message = result.ok ? '' : result.error.message;
    const ok = !result.ok && why.test(message) && !message.includes('SECRET');
    figures.badInput(ok, ok ? undefined : `${id}: ${JSON.stringify(result).slice(0, 300)}`);
    expect(ok, `${id}: ${JSON.stringify(result).slice(0, 300)}`).toBe(true);
    const listed = await api.call('models:list', {});
    expect(JSON.stringify(listed)).not.toContain(`"id":"${id}"`);
  }

  it('refuses links out of the folder, special files and oversized files, before reading them', async () => {
    /** `name` in the copy replaced by a link to `target`. */
    const linkInstead = (name: string, target: string) => async (f: string) => {
      await rm(join(f, name));
      await symlink(target, join(f, name));
    };
    const cases: Array<[string, (folder: string) => Promise<void>, RegExp]> = [
      [
        'zero-weights',
        async (f) => rm(join(f, 'model.onnx')).then(() => linkInstead('weights.bin', '/dev/zero')(f)),
        /weights\.bin: is a link leading outside the model folder/,
      ],
      // Sparse: 400 MB of NULs after the JSON.
      [
        'huge-card',
        (f) => truncate(join(f, 'card.json'), 400 * 1024 * 1024),
        /card\.json: is 400 MB, more than a file of this model can be \(256 KB\)/,
      ],
      [
        'huge-onnx',
        (f) => truncate(join(f, 'model.onnx'), 200 * 1024 * 1024),
        /model\.onnx: is 200 MB, more than a file of this model can be/,
      ],
      ['linked-onnx', linkInstead('model.onnx', join(base, 'model.onnx')), /model\.onnx: is a link leading outside/],
      ['linked-card', linkInstead('card.json', join(outside, 'secret.txt')), /card\.json: is a link leading outside/],
      [
        'secret-card',
        (f) => writeFile(join(f, 'card.json'), 'SECRET-TOKEN-4242 pasted here by mistake'),
        /card\.json: not valid JSON/,
      ],
    ];
    for (const [id, damage, why] of cases) await importRefused(id, damage, why);
  }, 120_000);

  it('checks a real exported ONNX file against its card: a truncated file or a card of other channels is refused with the reason', async () => {
    const shipped = join(repoRoot, 'assets', 'models', 'clearframe-grey'); // takes 2 channels (photo + σ plane), gives 1
    const editCard = (change: Record<string, unknown>) => async (f: string) => {
      const card = JSON.parse(await readFile(join(f, 'card.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(join(f, 'card.json'), JSON.stringify({ ...card, ...change }));
    };
    const cases: Array<[string, (folder: string) => Promise<void>, RegExp]> = [
      [
        'onnx-truncated',
        async (f) => truncate(join(f, 'model.onnx'), 1_000_000),
        /model\.onnx: is not a whole ONNX model \(truncated/,
      ],
      [
        'onnx-text',
        (f) => writeFile(join(f, 'model.onnx'), 'not a network\n'.repeat(100)),
        /model\.onnx: is not an ONNX model/,
      ],
      ['card-colour', editCard({ channels: 3 }), /model\.onnx: takes 2 channels and gives 1; the card says 4 and 3/],
      [
        'card-no-level',
        editCard({ noiseLevelInput: false }),
        /model\.onnx: takes 2 channels and gives 1; the card says 1 and 1/,
      ],
      [
        'int8-truncated',
        async (f) => truncate(join(f, 'model.int8.onnx'), 100_000),
        /model\.int8\.onnx: is not a whole ONNX model/,
      ],
    ];
    for (const [id, damage, why] of cases) await importRefused(id, damage, why, shipped);
    // The same folder untouched imports, and a damaged one put straight into the models folder is listed as unusable.
    const good = join(root, 'imports', 'grey-copy');
    await cp(shipped, good, { recursive: true });
    await editCard({ id: 'grey-copy' })(good);
    expect((await api.call('models:import', { folder: good })).ok).toBe(true);
    const userDir = join(root, 'direct-models');
    await cp(shipped, join(userDir, 'grey-bad'), { recursive: true });
    await editCard({ id: 'grey-bad', channels: 3 })(join(userDir, 'grey-bad'));
    const scan = await new ModelCatalog({ shippedDir: join(root, 'no-shipped'), userDir }).scan();
    expect(scan.models).toEqual([]);
    expect(scan.problems).toEqual([
      {
        folder: join(userDir, 'grey-bad'),
        reason: expect.stringMatching(/model\.onnx: takes 2 channels and gives 1; the card says 4 and 3/),
      },
    ]);
  }, 120_000);

  it('reads each card once while it is unchanged (by size and mtime)', async () => {
    const folder = join(root, 'imports', 'cached');
    await cp(base, folder, { recursive: true });
    const card = JSON.parse(await readFile(join(folder, 'card.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(folder, 'card.json'), JSON.stringify({ ...card, id: 'cached', name: 'Name A' }));
    expect((await api.call('models:import', { folder })).ok).toBe(true);
    const installed = join(root, 'data', 'models', 'cached', 'card.json');
    const names = (list: unknown) =>
      (list as Array<{ card: { id: string; name: string } }>)
        .filter((m) => m.card.id === 'cached')
        .map((m) => m.card.name);
    const when = new Date('2026-01-01T00:00:00Z'); // whole seconds: utimes keeps them exactly
    await utimes(installed, when, when);
    const read = await api.call('models:list', {});
    expect(read.ok && names(read.value)).toEqual(['Name A']);
    // Same size, same mtime, other content: a re-read would show "Name B".
    await writeFile(installed, (await readFile(installed, 'utf8')).replace('Name A', 'Name B'));
    await utimes(installed, when, when);
    const first = await api.call('models:list', {});
    expect(first.ok && names(first.value)).toEqual(['Name A']);
    await utimes(installed, when, new Date(when.getTime() + 5_000));
    const second = await api.call('models:list', {});
    expect(second.ok && names(second.value)).toEqual(['Name B']);
  });
});

describe('no engine call hangs', () => {
  it('a named pipe, a device and a folder named like photos fail alone, with what they are, and the batch ends', async () => {
    const folder = join(root, 'special');
    await mkdir(join(folder, 'album.jpg'), { recursive: true });
    execFileSync('mkfifo', [join(folder, 'pipe.png')]);
    await symlink('/dev/zero', join(folder, 'zero.png'));
    await noisyImage(48, 32, 1, 7).png().toFile(join(folder, 'good.png'));
    const engine = new EngineHarness(await makeModels(join(root, 'special-models')));
    try {
      const files = ['pipe.png', 'zero.png', 'album.jpg', 'good.png'].map((name) => join(folder, name));
      const run = await engine.run({ files, strength: 1 }, {}, 120_000);
      const reasons = Object.fromEntries(
        run.fileDone.map((d) => [d.path.split('/').pop(), d.error?.message ?? 'done']),
      );
      const expected = {
        'pipe.png': /not a regular file/,
        'zero.png': /not a regular file/,
        'album.jpg': /is a folder, not a photo/,
        'good.png': /^done$/,
      };
      for (const [name, pattern] of Object.entries(expected)) {
        const ok = pattern.test(reasons[name] ?? '');
        figures.badInput(ok, ok ? undefined : `${name}: ${reasons[name]}`);
        expect(reasons[name], name).toMatch(pattern);
      }
      expect(run.done).toMatchObject({ succeeded: 1, failed: 3 });
      // The folder scan lists the photo and skips the pipe without opening it.
      const scanned = await engine.client.scanFolder(folder, false);
      expect(scanned.images.map((i) => i.name)).toEqual(['good.png']);
    } finally {
      await engine.dispose();
    }
  }, 180_000);

  it('Cancel ends a job with job:done even when the file in flight never answers (a disk that hangs)', async () => {
    // Fault injection: an engine whose call never settles and ignores the cancel, as a hung driver leaves it.
    const hung: FileDenoiser = {
      denoiseFile: () => ({ result: new Promise<never>(() => undefined), cancel: () => undefined }),
    };
    const queue = new JobQueue(hung);
    const events: Array<keyof JobEvents> = [];
    let done!: (payload: JobEvents['job:done']) => void;
    const finished = new Promise<JobEvents['job:done']>((resolve) => (done = resolve));
    const jobId = queue.start(
      [join(root, 'special', 'good.png'), join(root, 'special', 'good.png')],
      DenoiseJob.parse({ strength: 1 }),
      (event, payload) => {
        events.push(event);
        if (event === 'job:done') done(payload as JobEvents['job:done']);
      },
    );
    expect(events).toEqual(['job:progress']); // the first file is in flight
    queue.cancel(jobId);
    const summary = await finished;
    figures.fault(
      summary.cancelled === 2,
      summary.cancelled === 2 ? undefined : `hung file: ${JSON.stringify(summary)}`,
    );
    expect(summary).toMatchObject({ succeeded: 0, failed: 0, cancelled: 2 });
    expect(CANCEL_GRACE_MS).toBeLessThanOrEqual(30_000);
  }, 60_000);
});
