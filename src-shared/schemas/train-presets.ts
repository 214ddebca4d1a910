// The Train view's presets (Quick, Good, Best) and `clearframe train --preset quick|good|best`: a time
// budget and the recipe that uses it best. The run's length is not part of a preset: it is the
// longest that fits the budget at the pace measured on this machine (train-estimate.ts runForBudget).
import { z } from 'zod';
import { DEFAULT_RECIPE, type TrainConfigInput } from './train.js';

export const TrainPresetId = z.enum(['quick', 'good', 'best']);
export type TrainPresetId = z.infer<typeof TrainPresetId>;

/** The fields a preset sets; everything else is the form's (or the command line's). */
export type PresetRecipe = { [K in 'arch' | 'patch' | 'batch' | 'lr']-?: NonNullable<TrainConfigInput[K]> };

export interface TrainPreset {
  label: string;
  hint: string;
  /** The time budget, in seconds. */
  seconds: number;
  recipe: PresetRecipe;
}

/** Quick is the default recipe's network; Good and Best see larger patches at a gentler rate. */
export const TRAIN_PRESETS: Readonly<Record<TrainPresetId, TrainPreset>> = {
  quick: {
    label: 'Quick',
    hint: 'about 10 minutes',
    seconds: 10 * 60,
    recipe: {
      arch: DEFAULT_RECIPE.arch,
      patch: DEFAULT_RECIPE.patch,
      batch: DEFAULT_RECIPE.batch,
      lr: DEFAULT_RECIPE.lr,
    },
  },
  good: {
    label: 'Good',
    hint: 'about an hour',
    seconds: 60 * 60,
    recipe: { arch: 'dcae-res-nl', patch: 64, batch: 16, lr: 0.001 },
  },
  best: {
    label: 'Best',
    hint: 'overnight, about 8 hours',
    seconds: 8 * 60 * 60,
    recipe: { arch: 'dcae-res-nl', patch: 96, batch: 16, lr: 0.001 },
  },
};
