// Words for model and training facts, shared by the model cards, pickers and the training studio.
import { noiseStrength } from '../../src-shared/noise-strength.js';
import { int8PassesGuard, type ModelCard, type NoiseSpec } from '../../src-shared/schemas/models.js';
import { isCameraNoise } from '../../src-shared/schemas/train.js';
import { countOf } from './format.js';

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
    case 'camera-profile':
      return typeof noise['camera'] === 'string'
        ? `${noise['camera']}'s noise (profiled)`
        : 'Your camera’s noise (profiled)';
    default:
      return isCameraNoise(noise) ? 'Real camera noise (mixed)' : `Mixture of ${noise.parts.length}`;
  }
}

export const architectureNames: Record<ModelCard['architecture'], string> = {
  dcae: 'DCAE (seed)',
  'dcae-res': 'DCAE residual',
  'dcae-res-nl': 'DCAE residual + noise level',
  'dcae-res4-nl': 'DCAE residual, 4 levels + noise level',
};

export function describeModel(card: ModelCard): string {
  return `${card.channels === 1 ? 'Greyscale' : 'Colour'} · ${architectureNames[card.architecture]} · ${describeNoise(card.trainingNoise)}`;
}

/** The headline metric: the first one measured at σ=25, else the first. */
export function headlineMetric(card: ModelCard): ModelCard['metrics'][number] | undefined {
  return card.metrics.find((m) => m.sigma === 25) ?? card.metrics[0];
}

/** The last part of a folder path (cards written before they held only the name carry a path). */
export function folderName(pathOrName: string): string {
  return (
    pathOrName
      .split(/[\\/]+/)
      .filter(Boolean)
      .at(-1) ?? pathOrName
  );
}

/** Known test sets by folder name: how many photos, in words. */
const TEST_SETS: Record<string, { images: number; what: string }> = {
  bsd68: { images: 68, what: 'standard photos' },
  cbsd68: { images: 68, what: 'standard colour photos' },
  set12: { images: 12, what: 'standard photos' },
  kodak24: { images: 24, what: 'standard colour photos' },
};

/**
 * "on 68 standard photos with strong noise (σ 25)", or for held-out crops "on 2 of your photos set
 * aside for checking" — "of its training photos" for a shipped model, which was not trained on yours.
 */
export function describeMetric(metric: ModelCard['metrics'][number], source: 'shipped' | 'user' = 'user'): string {
  if (metric.realNoise)
    return `on ${metric.images ?? 'some'} real high-ISO camera photos (${metric.dataset}) with their own noise, level on Auto`;
  const noise = `with ${noiseStrength(metric.sigma)} noise (σ ${metric.sigma})`;
  const known = TEST_SETS[metric.dataset.toLowerCase()];
  if (known) return `on ${known.images} ${known.what} (${metric.dataset.toUpperCase()}) ${noise}`;
  if (metric.dataset.endsWith('(held out)')) {
    const whose = source === 'shipped' ? 'its training photos' : 'your photos';
    const count = metric.images ? `${metric.images} of ${whose}` : `some of ${whose}`;
    return `on ${count} set aside for checking ${noise}`;
  }
  return `on ${metric.images ? `${countOf(metric.images, 'photo')} of` : 'the photos of'} “${metric.dataset}” ${noise}`;
}

/**
 * What the int8 model means for this card on the CPU, in plain words: "Runs in 8-bit: 1.9× faster,
 * 0.07 dB below full precision on real camera photos", or why the full-precision model runs.
 */
export function describeInt8(q: NonNullable<ModelCard['quantized']>): string {
  const loss = q.floatPsnr - q.psnr;
  const where = q.realNoise ? 'on real camera photos' : `on ${q.dataset.toUpperCase()} (σ ${q.sigma})`;
  if (!int8PassesGuard(q)) return `Runs in full precision: the 8-bit version lost ${loss.toFixed(2)} dB ${where}`;
  const speed = q.speed ? `${(q.speed.floatMs / q.speed.int8Ms).toFixed(1)}× faster, ` : '';
  const quality = loss > 0.005 ? `${loss.toFixed(2)} dB below full precision` : 'same quality as full precision';
  return `Runs in 8-bit: ${speed}${quality} ${where}`;
}
