// The model a training run starts from, chosen among the real shipped models (their cards as the
// catalog reads them) plus user models made up here.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeModelFolder } from '../../../src-main/engine/contract/model-catalog.js';
import { recommendedStart, startingModels } from '../../../src-renderer/lib/train-start.js';
import type { ModelSummary } from '../../../src-shared/schemas/models.js';
import { repoRoot } from '../../helpers/images.js';

const shipped = await Promise.all(
  ['clearframe-colour', 'clearframe-grey', 'clearframe-photo', 'dcae-seed-s25'].map((id) =>
    describeModelFolder(join(repoRoot, 'assets/models', id), 'shipped'),
  ),
);

function userModel(base: ModelSummary, id: string, extra: Partial<ModelSummary['card']> = {}): ModelSummary {
  return { ...base, source: 'user', folder: `/models/${id}`, card: { ...base.card, id, name: id, ...extra } };
}

describe('recommendedStart', () => {
  it('starts colour runs from the shipped camera-noise model and grey runs from the shipped grey one', () => {
    expect(recommendedStart(shipped, 3)?.card.id).toBe('clearframe-photo');
    expect(recommendedStart(shipped, 1)?.card.id).toBe('clearframe-grey');
  });

  it('never recommends a user model or the seed DCAE, and answers undefined when nothing fits', () => {
    const seedOnly = shipped.filter((m) => m.card.id === 'dcae-seed-s25');
    expect(recommendedStart(seedOnly, 1)).toBeUndefined();
    const mine = userModel(
      shipped.find((m) => m.card.id === 'clearframe-photo')!,
      'mine',
    );
    expect(recommendedStart([mine], 3)).toBeUndefined();
    expect(recommendedStart([], 3)).toBeUndefined();
  });
});

describe('startingModels', () => {
  it('lists models of the run colour, shipped first, and leaves out models whose card warns they make photos worse', () => {
    const photo = shipped.find((m) => m.card.id === 'clearframe-photo')!;
    const list = [
      userModel(photo, 'a-mine'),
      userModel(photo, 'bad', { warning: 'Not better than its noisy input.' }),
      ...shipped,
    ];
    const ids = startingModels(list, 3).map((m) => m.card.id);
    expect(ids).toEqual(['clearframe-photo', 'clearframe-colour', 'a-mine']);
    expect(startingModels(list, 1).map((m) => m.card.id)).toEqual(['clearframe-grey', 'dcae-seed-s25']);
  });
});
