// The presets and the default recipe shared by the Train view and `clearframe train`.
import { describe, expect, it } from 'vitest';
import { CAMERA_NOISE_RECIPE, DEFAULT_RECIPE, TrainConfig, TrainStartRequest } from '../../src-shared/schemas/train.js';
import { TRAIN_PRESETS, TrainPresetId } from '../../src-shared/schemas/train-presets.js';

describe('the default recipe', () => {
  it('is what a run gets for every recipe field it leaves out, in the app and the CLI alike', () => {
    const config = TrainConfig.parse({ data: '/photos', out: '/run' });
    expect(config).toMatchObject({
      arch: 'dcae-res-nl',
      channels: 3,
      noise: CAMERA_NOISE_RECIPE,
      patch: 48,
      batch: 16,
      lr: 0.002,
      epochs: 10,
      stepsPerEpoch: 200,
    });
    expect(config).toMatchObject(DEFAULT_RECIPE);
    expect(TrainStartRequest.parse({ data: '/photos' })).toMatchObject(DEFAULT_RECIPE);
  });
});

describe('the presets', () => {
  it('are Quick, Good and Best, longer and larger in that order, Quick being the default network', () => {
    expect(TrainPresetId.options).toEqual(['quick', 'good', 'best']);
    const [quick, good, best] = TrainPresetId.options.map((id) => TRAIN_PRESETS[id]);
    expect(quick!.recipe).toEqual({
      arch: DEFAULT_RECIPE.arch,
      patch: DEFAULT_RECIPE.patch,
      batch: DEFAULT_RECIPE.batch,
      lr: DEFAULT_RECIPE.lr,
    });
    expect(quick!.seconds).toBeLessThan(good!.seconds);
    expect(good!.seconds).toBeLessThan(best!.seconds);
    expect(quick!.recipe.patch).toBeLessThan(good!.recipe.patch);
    expect(good!.recipe.patch).toBeLessThan(best!.recipe.patch);
  });

  it('each make a recipe train:start accepts', () => {
    for (const id of TrainPresetId.options)
      expect(TrainStartRequest.safeParse({ data: '/photos', ...TRAIN_PRESETS[id].recipe }).success).toBe(true);
  });
});
