// The command a card records: the first start, then each different resume, in order.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_CAMERA_NOISE } from '../../helpers/train-recipes.js';
import { withResume } from '../../../src-main/cli/train.js';

describe('withResume', () => {
  const start = 'clearframe train --data d --out r';
  const resume = 'clearframe train --resume r --epochs 50';

  it('keeps a fresh run’s own command', () => {
    expect(withResume(undefined, start)).toBe(start);
  });

  it('appends a resume with other flags once, however often it is repeated', () => {
    const once = withResume(start, resume);
    expect(once).toBe(`${start}; resumed: ${resume}`);
    expect(withResume(once, resume)).toBe(once);
    expect(withResume(once, 'clearframe train --resume r')).toBe(`${once}; resumed: clearframe train --resume r`);
  });
});

describe('--noise camera and --init', () => {
  it('selects the camera recipe (the Train view’s "Real camera noise") and records the starting model', async () => {
    const { configFromArgs } = await import('../../../src-main/cli/train.js');
    const { CAMERA_NOISE_RECIPE, isCameraNoise } = await import('../../../src-shared/schemas/train.js');
    const parsed = await configFromArgs([
      '--data',
      'photos',
      '--noise',
      'camera',
      '--init',
      'models/base',
      '--out',
      'run',
    ]);
    expect(parsed?.config.noise).toEqual(CAMERA_NOISE_RECIPE);
    expect(isCameraNoise(parsed!.config.noise)).toBe(true);
    expect(parsed?.config.init).toMatch(/models[\\/]base$/);
    await expect(configFromArgs(['--data', 'photos', '--noise', 'cameras', '--out', 'run'])).rejects.toThrow(
      /Unknown --noise cameras/,
    );
  });
});

describe('--unclipped and --half-unclipped', () => {
  it('leave all or half of the white noise unclipped, and refuse other noise', async () => {
    const { configFromArgs } = await import('../../../src-main/cli/train.js');
    const all = await configFromArgs(['--data', 'photos', '--sigma-range', '0,50', '--unclipped', '--out', 'run']);
    expect(all?.config.noise).toEqual({ type: 'gaussian-range', sigmaMin: 0, sigmaMax: 50, unclipped: true });
    const half = await configFromArgs(['--data', 'photos', '--sigma', '25', '--half-unclipped', '--out', 'run']);
    expect(half?.config.noise).toEqual({
      type: 'mixture',
      parts: [
        { type: 'gaussian', sigma: 25 },
        { type: 'gaussian', sigma: 25, unclipped: true },
      ],
    });
    await expect(
      configFromArgs(['--data', 'photos', '--noise', 'camera', '--unclipped', '--out', 'run']),
    ).rejects.toThrow(/need --sigma or --sigma-range/);
  });
});

describe('--preset quick|good|best', () => {
  it("takes the preset's network, patch, batch and rate over the default recipe, flags over the preset, and a length fitted to its time unless one is given", async () => {
    const { configFromArgs } = await import('../../../src-main/cli/train.js');
    const { DEFAULT_RECIPE } = await import('../../../src-shared/schemas/train.js');
    const { TRAIN_PRESETS } = await import('../../../src-shared/schemas/train-presets.js');
    const good = await configFromArgs(['--preset', 'good', '--data', 'photos', '--out', 'run']);
    expect(good?.config).toMatchObject({
      ...TRAIN_PRESETS.good.recipe,
      channels: DEFAULT_RECIPE.channels,
      noise: DEFAULT_RECIPE.noise,
    });
    expect(good?.budgetSeconds).toBe(60 * 60);
    const edited = await configFromArgs([
      '--preset=best',
      '--data',
      'photos',
      '--patch',
      '32',
      '--sigma',
      '15',
      '--epochs',
      '3',
      '--out',
      'run',
    ]);
    expect(edited?.config).toMatchObject({
      arch: 'dcae-res-nl',
      patch: 32,
      lr: 0.001,
      noise: { type: 'gaussian', sigma: 15 },
      epochs: 3,
    });
    expect(edited?.budgetSeconds).toBeUndefined();
    const plain = await configFromArgs(['--data', 'photos', '--out', 'run']);
    expect(plain?.config).toMatchObject(DEFAULT_RECIPE);
    expect(plain?.budgetSeconds).toBeUndefined();
  });

  it('refuses a preset it does not know, and a preset with --resume', async () => {
    const { configFromArgs } = await import('../../../src-main/cli/train.js');
    await expect(configFromArgs(['--preset', 'fast', '--data', 'photos', '--out', 'run'])).rejects.toThrow(
      'Unknown --preset fast (known: quick, good, best, camera)',
    );
    await expect(configFromArgs(['--preset', 'quick', '--resume', 'run'])).rejects.toThrow(/--preset starts a new run/);
  });

  it('validates a camera-profile run on its own fitted noise, unless --val-sigma asks for white noise', async () => {
    const { configFromArgs } = await import('../../../src-main/cli/train.js');
    const dir = await mkdtemp(path.join(tmpdir(), 'clearframe-recipe-'));
    try {
      const recipe = path.join(dir, 'camera.json');
      await writeFile(recipe, JSON.stringify({ noise: TEST_CAMERA_NOISE }));
      const args = ['--data', 'photos', '--noise', 'camera-profile', '--profile', recipe, '--out', 'run'];
      expect((await configFromArgs(args))?.config.valNoise).toEqual(TEST_CAMERA_NOISE);
      const white = (await configFromArgs([...args, '--val-sigma', '5']))?.config;
      expect(white?.valSigma).toBe(5);
      expect(white?.valNoise).toBeUndefined();
      expect((await configFromArgs(['--data', 'photos', '--out', 'run']))?.config).toBeDefined();
      expect((await configFromArgs(['--data', 'photos', '--out', 'run']))?.config.valNoise).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
