// Words for model and training facts, shared by the model cards, pickers and the training studio.
import type { ModelCard, NoiseSpec } from '../../src-shared/schemas/models.js';

export function describeNoise(noise: NoiseSpec): string {
  switch (noise.type) {
    case 'gaussian':
      return `Gaussian σ=${noise.sigma}`;
    case 'gaussian-range':
      return `Gaussian σ ${noise.sigmaMin}–${noise.sigmaMax}`;
    case 'salt-pepper':
      return `Salt & pepper ${Math.round(noise.density * 100)}%`;
    case 'gaussian-correlated':
      return `Correlated Gaussian σ ${noise.sigmaMin}–${noise.sigmaMax}`;
    case 'camera':
      return 'Real camera noise';
    case 'pairs':
      return 'Real noisy/clean pairs';
    default:
      return noise.parts.some((p) => p['type'] === 'camera') ? 'Real camera noise (mixed)' : `Mixture of ${noise.parts.length}`;
  }
}

export const architectureNames: Record<ModelCard['architecture'], string> = {
  dcae: 'DCAE (seed)',
  'dcae-res': 'DCAE residual',
  'dcae-res-nl': 'DCAE residual + noise level',
};

export function describeModel(card: ModelCard): string {
  return `${card.channels === 1 ? 'Greyscale' : 'Colour'} · ${architectureNames[card.architecture]} · ${describeNoise(card.trainingNoise)}`;
}

/** The headline metric: the first one measured at σ=25, else the first. */
export function headlineMetric(card: ModelCard): ModelCard['metrics'][number] | undefined {
  return card.metrics.find((m) => m.sigma === 25) ?? card.metrics[0];
}
