// The command a card records: the first start, then each different resume, in order.
import { describe, expect, it } from 'vitest';
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
    const parsed = await configFromArgs(['--data', 'photos', '--noise', 'camera', '--init', 'models/base', '--out', 'run']);
    expect(parsed?.config.noise).toEqual(CAMERA_NOISE_RECIPE);
    expect(isCameraNoise(parsed!.config.noise)).toBe(true);
    expect(parsed?.config.init).toMatch(/models[\\/]base$/);
    await expect(configFromArgs(['--data', 'photos', '--noise', 'cameras', '--out', 'run'])).rejects.toThrow(/Unknown --noise cameras/);
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
    await expect(configFromArgs(['--data', 'photos', '--noise', 'camera', '--unclipped', '--out', 'run'])).rejects.toThrow(/need --sigma or --sigma-range/);
  });
});
