// The second hostile review's data-loss cases (issue #23): each one lost or replaced a user's file
// before its fix. Every case fingerprints the folder first and checks that nothing the user made
// changed afterwards.
import { mkdir, readdir, readFile, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noisyImage } from '../../scripts/make-bad-corpus.js';
import { decodeImage } from '../../src-main/engine/io/decode.js';
import { writeDenoisedImage } from '../../src-main/engine/io/encode.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { watch } from 'node:fs';
import { trainCommand } from '../../src-main/cli/train.js';
import { createOnnxRuntime } from '../../src-main/engine/infer/runtime.js';
import { readLatestCheckpoint } from '../../src-main/engine/contract/checkpoint.js';
import { ModelCard } from '../../src-shared/schemas/models.js';
import { TrainConfig, type TrainProgress } from '../../src-shared/schemas/train.js';
import { EngineHarness, makeModels } from './support/engine.js';
import { testCard, writeRandomModelFolder } from '../helpers/model-fixtures.js';
import { openConfSettings } from '../../src-main/settings/conf-settings.js';
import { makeApi, type TestApi } from './support/api.js';
import { fingerprint, removeTempDirs, repoRoot, tempDir } from './support/env.js';
import { FigureRecorder } from './support/figures.js';
import { GREY_GAUSSIAN_FLAGS, GREY_GAUSSIAN_RECIPE } from '../helpers/train-recipes.js';

const figures = new FigureRecorder('data-loss');
let root: string;

beforeAll(async () => {
  root = await tempDir('data-loss');
});
afterAll(removeTempDirs);

/** A folder holding a photo, a hidden photo named like the NUL pattern's cut, and a dotfile. */
async function photoFolder(name: string): Promise<{ folder: string; photo: string }> {
  const folder = join(root, name);
  await mkdir(folder, { recursive: true });
  const photo = join(folder, 'orig.jpg');
  await noisyImage(48, 32, 3, 1).jpeg().toFile(photo);
  await noisyImage(40, 40, 3, 2).jpeg().toFile(join(folder, '.orig.jpg'));
  await writeFile(join(folder, '.bashrc'), 'export PATH=$HOME/bin:$PATH\n');
  return { folder, photo };
}

/** A folder of four small grey noise images, enough for a run of a few steps. */
async function trainingFolder(name: string, seed: number): Promise<string> {
  const folder = join(root, name);
  await mkdir(folder);
  for (let i = 0; i < 4; i++)
    await noisyImage(48, 48, 1, seed + i)
      .png()
      .toFile(join(folder, `p${i}.png`));
  return folder;
}

async function expectUnchanged(folder: string, before: Map<string, string>): Promise<void> {
  const after = await fingerprint(folder);
  let unchanged = 0;
  for (const [file, print] of before) if (after.get(file) === print) unchanged++;
  figures.originals(before.size, unchanged);
  expect(after).toEqual(before);
}

describe('a NUL or another control character in a path-shaped field', () => {
  let api: TestApi;
  beforeAll(() => {
    api = makeApi(join(root, 'data'));
  });
  afterAll(() => api.close());

  it('is refused by every channel and setting that names a path, before anything is written', async () => {
    const { folder, photo } = await photoFolder('contract');
    const before = await fingerprint(folder);
    expect((await api.call('library:open', { folder })).ok).toBe(true);
    const requests: Array<[string, unknown]> = [
      ['denoise:start', { files: [photo], outputPattern: 'orig.jpg\u0000' }],
      ['denoise:start', { files: [photo], outputPattern: 'denoised/{name}\n.{ext}' }],
      ['denoise:start', { files: [`${photo}\u0000`] }],
      ['denoise:start', { files: [photo], modelId: 'grey\u0000' }],
      ['settings:set', { outputFolderPattern: 'bashrc\u0000' }],
      ['settings:set', { outputFolderPattern: 'out\u0007put' }],
      ['settings:set', { recentFolders: [`${folder}\u0000`] }],
      ['library:open', { folder: `${folder}\u0000/..` }],
      ['library:thumbnail', { path: `${photo}\u0000` }],
      ['denoise:preview', { path: `${photo}\u0000` }],
      ['models:import', { folder: `${folder}\u0000` }],
      ['app:showInFolder', { path: `${photo}\u0000` }],
      ['train:start', { data: folder, out: join(folder, 'run\u0000') }],
      ['train:start', { data: `${folder}\u0000`, out: join(folder, 'run') }],
    ];
    for (const [channel, request] of requests) {
      const result = await api.call(channel, request);
      const refused =
        !result.ok && result.error.code === 'invalid-request' && /control character/i.test(result.error.message);
      figures.badInput(
        refused,
        refused ? undefined : `${channel} ${JSON.stringify(request)} answered ${JSON.stringify(result).slice(0, 200)}`,
      );
      expect(refused, `${channel} ${JSON.stringify(request)}`).toBe(true);
    }
    expect(api.internalErrors).toEqual([]);
    expect(JSON.stringify(await api.call('settings:get', {}))).not.toContain('\\u0000');
    await expectUnchanged(folder, before);
  });

  it('cannot make the write step land anywhere but its own temp file, whatever the caller checked', async () => {
    // The engine's writer is called directly with the name the NUL pattern gives: before the fix,
    // libvips cut the temp path at the NUL and saved the JPEG over the hidden ".orig.jpg".
    const { folder, photo } = await photoFolder('write-step');
    const before = await fingerprint(folder);
    const { pixels, info } = await decodeImage(photo);
    const errors: unknown[] = [];
    for (const target of [join(folder, 'orig.jpg\u0000'), join(folder, 'bashrc\u0000')]) {
      errors.push(await writeDenoisedImage(pixels, info, target, { format: 'jpeg' }).catch((error: unknown) => error));
    }
    await expectUnchanged(folder, before);
    for (const error of errors) {
      expect(error).toMatchObject({ code: 'invalid-request', message: expect.stringMatching(/control character/) });
      figures.badInput(true);
    }
    expect((await readdir(folder)).sort()).toEqual(['.bashrc', '.orig.jpg', 'orig.jpg']);
  });
});

describe('a folder that holds a training run or a model', () => {
  let data: string;
  let run: string;
  const recipe = (out: string): string[] => [
    '--data',
    data,
    '--out',
    out,
    '--patch',
    '16',
    '--batch',
    '2',
    '--epochs',
    '1',
    '--steps-per-epoch',
    '2',
    '--val-images',
    '1',
    '--val-crop',
    '16',
    '--workers',
    '1',
    '--arch',
    'dcae-res',
    ...GREY_GAUSSIAN_FLAGS,
  ];

  beforeAll(async () => {
    data = await trainingFolder('train-data', 10);
    run = join(root, 'finished-run');
    expect(await trainCommand(recipe(run))).toBe(0);
    expect((await readdir(run)).sort()).toEqual(expect.arrayContaining(['card.json', 'checkpoints', 'model.onnx']));
  }, 300_000);

  /** Runs `attempt` and expects it refused with `pattern`, with every file of `folder` as it was. */
  async function refusedLeavingAlone(folder: string, attempt: () => Promise<unknown>, pattern: RegExp): Promise<void> {
    const before = await fingerprint(folder);
    const outcome = await attempt().then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    await expectUnchanged(folder, before);
    figures.badInput('error' in outcome);
    expect(outcome).toMatchObject({ error: { code: 'forbidden', message: expect.stringMatching(pattern) } });
  }

  it('`clearframe train --out` over a finished run refuses, even with the same recipe, and points to --resume and a new folder', async () => {
    await refusedLeavingAlone(run, () => trainCommand(recipe(run)), /--resume .*finished-run.*finished-run-2/);
    await refusedLeavingAlone(
      run,
      () => trainCommand([...recipe(run), '--seed', '7', '--name', 'Other']),
      /finished-run-2/,
    );
  });

  it('`clearframe train --resume` with another recipe refuses; with the run’s own recipe it continues', async () => {
    await refusedLeavingAlone(
      run,
      () => trainCommand(['--resume', run, '--seed', '7']),
      /another recipe \(seed differ\).*finished-run-2/,
    );
    await refusedLeavingAlone(
      run,
      () => trainCommand(['--resume', run, '--data', join(root, 'contract'), '--id', 'other']),
      /data, modelId differ/,
    );
    expect(await trainCommand(['--resume', run, '--epochs', '2'])).toBe(0);
    expect(JSON.parse(await readFile(join(run, 'card.json'), 'utf8'))).toMatchObject({ steps: 4 });
  }, 300_000);

  it('the card a user may share names none of the training machine’s folders, the resumed command included', async () => {
    const { command } = ModelCard.parse(JSON.parse(await readFile(join(run, 'card.json'), 'utf8')));
    expect(command).toMatch(
      /^clearframe train --data <data> --out <run> .*; resumed: clearframe train --resume <run> --epochs 2$/,
    );
    expect(command).not.toContain(root);
  });

  it('`clearframe train --export` writes only into a new or empty folder', async () => {
    const model = join(root, 'precious-model');
    await mkdir(model);
    await writeFile(join(model, 'card.json'), '{"precious":true}');
    await writeFile(join(model, 'model.onnx'), 'the user’s model');
    await refusedLeavingAlone(model, () => trainCommand(['--export', run, '--out', model]), /precious-model-2/);
    await expect(trainCommand(['--export', run])).rejects.toMatchObject({
      code: 'invalid-request',
      message: expect.stringContaining('--out'),
    });
    expect(await trainCommand(['--export', run, '--out', join(root, 'exported'), '--no-int8'])).toBe(0);
    expect(await readdir(join(root, 'exported'))).toEqual(expect.arrayContaining(['card.json', 'model.onnx']));
  }, 120_000);

  it('train:start refuses a run folder unless asked to resume it with its own recipe', async () => {
    const api = makeApi(join(root, 'data-train'));
    try {
      expect((await api.call('library:open', { folder: root })).ok).toBe(true);
      const request = {
        ...GREY_GAUSSIAN_RECIPE,
        data,
        out: run,
        patch: 16,
        batch: 2,
        epochs: 2,
        stepsPerEpoch: 2,
        valImages: 1,
        valCrop: 16,
        workers: 1,
      };
      const asResult = (channel: string, body: unknown) => async () => {
        const result = await api.call(channel, body);
        if (result.ok) return result.value;
        throw result.error;
      };
      await refusedLeavingAlone(run, asResult('train:start', request), /holds a training run.*finished-run-2/);
      await refusedLeavingAlone(
        run,
        asResult('train:start', { ...request, seed: 3, resume: true }),
        /another recipe \(seed differ\)/,
      );
    } finally {
      await api.close();
    }
  }, 120_000);
});

describe('the engine ended while it trains (quit, window close, SIGTERM, SIGINT)', () => {
  let data: string;
  beforeAll(async () => {
    data = await trainingFolder('end-data', 20);
  });

  /**
   * Starts a run in the engine process that would checkpoint only at the end of a 10,000-step epoch,
   * ends the engine with `end` once two steps are done, and checks that the run left what Stop
   * leaves: a checkpoint at its step and a model folder that opens.
   */
  async function endWhileTraining(name: string, end: (harness: EngineHarness) => Promise<void>): Promise<void> {
    const out = join(root, name);
    const harness = new EngineHarness(await makeModels(join(root, `${name}-models`)));
    try {
      const config = TrainConfig.parse({
        ...GREY_GAUSSIAN_RECIPE,
        data,
        out,
        patch: 16,
        batch: 2,
        epochs: 1,
        stepsPerEpoch: 10_000,
        checkpointEvery: 0,
        valImages: 1,
        valCrop: 16,
        workers: 1,
      });
      let stepped!: () => void;
      const twoSteps = new Promise<void>((resolve) => (stepped = resolve));
      const phases: TrainProgress['phase'][] = [];
      await harness.client.startTraining(config, (p) => {
        phases.push(p.phase);
        if (p.phase === 'training' && p.step >= 2) stepped();
      });
      await twoSteps;
      const child = harness.children.at(-1)!;
      const exited =
        child.exitCode === null && child.signalCode === null
          ? once(child, 'exit')
          : Promise.resolve([child.exitCode, child.signalCode]);
      await end(harness);
      const [code, signal] = (await exited) as [number | null, string | null];
      const checkpoint = await readLatestCheckpoint(join(out, 'checkpoints'));
      const problems: string[] = [];
      if (code !== 0) problems.push(`the engine exited with ${signal ?? `code ${code}`}`);
      if (!checkpoint || checkpoint.position.step < 2)
        problems.push(`no checkpoint at step 2 or later (${checkpoint?.position.step ?? 'none'})`);
      try {
        ModelCard.parse(JSON.parse(await readFile(join(out, 'card.json'), 'utf8')));
        const runtime = await createOnnxRuntime(join(out, 'model.onnx'));
        await runtime.dispose();
      } catch (error) {
        problems.push(`no usable model: ${String(error).slice(0, 200)}`);
      }
      figures.fault(problems.length === 0, problems.length ? `${name}: ${problems.join('; ')}` : undefined);
      expect(problems).toEqual([]);
    } finally {
      await harness.dispose();
    }
  }

  it(
    'SIGTERM (what an OS shutdown and the Electron quit send) ends the run with a checkpoint and a model that opens',
    () => endWhileTraining('sigterm', async (harness) => void harness.children.at(-1)!.kill('SIGTERM')),
    180_000,
  );
  it(
    'SIGINT (Ctrl-C reaches the engine with its whole process group) does the same',
    () => endWhileTraining('sigint', async (harness) => void harness.children.at(-1)!.kill('SIGINT')),
    180_000,
  );
  it(
    'closing the browser host (EngineClient.dispose, as host.close() calls it) does the same',
    () => endWhileTraining('host-close', (harness) => harness.client.dispose()),
    180_000,
  );
});

describe('interrupted saves', () => {
  /** The engine process `clearframe denoise` forked (its only child), read from /proc. */
  async function childOf(pid: number): Promise<number | undefined> {
    const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
    const first = children.trim().split(/\s+/)[0];
    return first ? Number(first) : undefined;
  }
  async function gone(pid: number): Promise<void> {
    while (
      await readFile(`/proc/${pid}/stat`, 'utf8').then(
        (stat) => !/^\d+ \(.*\) Z/.test(stat),
        () => false,
      )
    )
      await new Promise((r) => setTimeout(r, 100));
  }

  /**
   * `clearframe denoise` on a large photo, stopped by `signal` (to the CLI alone, or to its whole
   * process group as a terminal's Ctrl-C and hang-up are) at the moment its temp file appears.
   */
  async function interrupt(name: string, signal: NodeJS.Signals, group: boolean): Promise<void> {
    const folder = join(root, name);
    const out = join(folder, 'out');
    await mkdir(out, { recursive: true });
    await noisyImage(1200, 900, 1, 5).png().toFile(join(folder, 'big.png'));
    const before = await fingerprint(folder);
    const dataDir = join(root, `${name}-data`);
    await writeRandomModelFolder(join(dataDir, 'models', 'cli-grey'), testCard({ id: 'cli-grey' }));
    // A slow encoding (maximal PNG compression of noise) keeps the temp file open long enough to be caught.
    const cli = spawn(
      process.execPath,
      [
        join(repoRoot, 'bin/clearframe.js'),
        'denoise',
        join(folder, 'big.png'),
        '--out',
        out,
        '--model',
        'cli-grey',
        '--format',
        'png',
      ],
      {
        env: { ...process.env, CLEARFRAME_DATA_DIR: dataDir },
        detached: true,
        stdio: process.env.CF_DEBUG ? 'inherit' : 'ignore',
      },
    );
    const exited = once(cli, 'exit');
    let temp: string | undefined;
    const tempSeen = new Promise<void>((resolve) => {
      const watcher = watch(out, (_event, file) => {
        if (file?.endsWith('.clearframe-tmp')) {
          temp = file;
          watcher.close();
          resolve();
        }
      });
      void exited.then(() => {
        watcher.close();
        resolve();
      });
    });
    await tempSeen;
    const engine = await childOf(cli.pid!);
    process.kill(group ? -cli.pid! : cli.pid!, signal);
    await exited;
    if (engine !== undefined) await gone(engine);
    const left = (await readdir(out)).filter((file) => file.includes('clearframe-tmp'));
    const problems = [
      ...(temp === undefined ? ['the batch ended before its temp file appeared'] : []),
      ...left.map((file) => `left behind: ${file}`),
    ];
    figures.fault(problems.length === 0, problems.length ? `${name}: ${problems.join('; ')}` : undefined);
    expect(problems).toEqual([]);
    const original = (await fingerprint(folder)).get('big.png');
    figures.originals(1, original === before.get('big.png') ? 1 : 0);
    expect(original).toBe(before.get('big.png'));
  }

  it(
    'SIGTERM of `clearframe denoise` while it saves leaves no temp file',
    () => interrupt('term', 'SIGTERM', false),
    180_000,
  );
  it(
    'Ctrl-C (SIGINT to the process group) while it saves leaves no temp file',
    () => interrupt('int', 'SIGINT', true),
    180_000,
  );
  it(
    'a hang-up (SIGHUP to the process group) while it saves leaves no temp file',
    () => interrupt('hup', 'SIGHUP', true),
    180_000,
  );

  it('opening a folder sweeps temp files of writers that are gone, or whose process id now belongs to another process', async () => {
    const api = makeApi(join(root, 'sweep-data'));
    try {
      const folder = join(root, 'sweep');
      await mkdir(join(folder, 'denoised'), { recursive: true });
      await noisyImage(32, 32, 3, 3).png().toFile(join(folder, 'photo.png'));
      const hourAgo = new Date(Date.now() - 3_600_000);
      // pid 1 is alive and not ours: an old temp carrying it is a previous boot's; a fresh one may be another writer's.
      const stale = [
        join(folder, '.photo.png.1.0123456789ab.clearframe-tmp'),
        join(folder, 'denoised', '.photo.png.1.0123456789ab.clearframe-tmp'),
      ];
      const dead = join(folder, 'denoised', `.photo.png.${2 ** 22 + 7}.0123456789ac.clearframe-tmp`);
      const live = join(folder, '.photo.png.1.0123456789ad.clearframe-tmp');
      for (const file of [...stale, dead, live]) await writeFile(file, 'half a PNG');
      for (const file of stale) await utimes(file, hourAgo, hourAgo);
      expect((await api.call('library:open', { folder })).ok).toBe(true);
      const left = [
        ...(await readdir(folder)),
        ...(await readdir(join(folder, 'denoised'))).map((f) => `denoised/${f}`),
      ].filter((f) => f.includes('clearframe-tmp'));
      figures.badInput(left.length === 1);
      expect(left).toEqual(['.photo.png.1.0123456789ad.clearframe-tmp']);
    } finally {
      await api.close();
    }
  });
});

describe('a damaged settings file', () => {
  it('keeps numbered backups: a second and a third reset never overwrite the user’s earlier settings', async () => {
    const dataDir = join(root, 'settings-backups');
    await mkdir(dataDir);
    const damaged = ['{"outputFolderPattern": "first', '{"outputFolderPattern": "second', 'third, not JSON'];
    for (const text of damaged) {
      await writeFile(join(dataDir, 'config.json'), text);
      const store = openConfSettings(dataDir);
      expect(store.get().outputFolderPattern).toBe('denoised');
    }
    const kept = await Promise.all(
      ['config.json.bak', 'config.json.bak.2', 'config.json.bak.3'].map((name) =>
        readFile(join(dataDir, name), 'utf8'),
      ),
    );
    figures.originals(3, kept.filter((text, i) => text === damaged[2 - i]).length);
    expect(kept).toEqual([damaged[2], damaged[1], damaged[0]]);
  });

  it('a config.json that is a folder, or 600 MB (sparse), is moved aside like any damaged file and the app starts', async () => {
    for (const [name, make] of [
      ['settings-folder', (file: string) => mkdir(file)],
      [
        'settings-huge',
        async (file: string) => {
          await writeFile(file, '{"theme":"dark"}');
          await truncate(file, 600 * 1024 * 1024);
        },
      ],
    ] as const) {
      const dataDir = join(root, name);
      await mkdir(dataDir);
      await make(join(dataDir, 'config.json'));
      let notices: string[] = [];
      const started = (() => {
        try {
          const store = openConfSettings(dataDir);
          notices = [...(store.notices ?? [])];
          return store.get().theme === 'system';
        } catch {
          return false;
        }
      })();
      figures.badInput(started, started ? undefined : `${name}: the settings did not open`);
      expect(started, name).toBe(true);
      expect(notices.join(' ')).toMatch(/config\.json was reset to the defaults because it was (a folder|600 MB)/);
      expect(await readdir(dataDir)).toContain('config.json.bak');
    }
  });
});
