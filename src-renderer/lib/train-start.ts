// Which model a training run starts from. A person who is not an ML engineer gets a good model from
// a short run only by teaching an already good one their photos: measured, 400 steps on 40 photos
// from Clearframe's photo model scored 37.47 dB on the real-noise photos (polyu-dev, Auto), from a
// fresh network 36.43 dB, barely above the noisy input's 36.05 (README, Training). So the form starts from the shipped model of the
// photos' colour by default (the camera-noise one first) and offers any installed model of that
// colour, or a fresh network.
import { isCameraNoise } from '../../src-shared/schemas/train.js';
import type { ModelSummary } from '../../src-shared/schemas/models.js';

/** A gentler learning rate for teaching a trained model: the one Clearframe's photo model was made with. */
export const FINE_TUNE_LR = 5e-4;

/** Models a run of `channels` channels can start from: same colour, no warning on the card; shipped first, camera-noise ones first. */
export function startingModels(models: readonly ModelSummary[], channels: 1 | 3): ModelSummary[] {
  return models
    .filter((m) => m.card.channels === channels && !m.card.warning)
    .sort((a, b) => rank(a) - rank(b) || a.card.name.localeCompare(b.card.name));
}

/** The default start: the shipped model of that colour trained for camera noise, else any shipped one; undefined when none. */
export function recommendedStart(models: readonly ModelSummary[], channels: 1 | 3): ModelSummary | undefined {
  const candidates = startingModels(models, channels).filter(
    (m) => m.source === 'shipped' && m.card.architecture !== 'dcae',
  );
  return candidates.find((m) => isCameraNoise(m.card.trainingNoise)) ?? candidates[0];
}

function rank(m: ModelSummary): number {
  return (m.source === 'shipped' ? 0 : 2) + (isCameraNoise(m.card.trainingNoise) ? 0 : 1);
}
