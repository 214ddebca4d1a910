// The int8 quantiser calibrates on patches with the noise a model was trained on. White Gaussian
// noise it makes itself (infer/quantize-calibrate.ts); camera noise, correlated noise and mixtures
// are the trainer's (noise.ts), which inference may not import, so the quantiser's callers (the
// trainer's export, `clearframe quantize`) hand this in.
import { TrainNoise } from '../../../src-shared/schemas/train.js';
import type { CalibrationNoise } from '../infer/quantize-calibrate.js';
import { applyNoise } from './noise.js';

/**
 * The trainer's noise as a calibration noise; undefined for plain white Gaussian noise (σ or a σ
 * range), which the calibration draws itself, and for specs the trainer cannot synthesise (pairs).
 */
export function calibrationNoise(spec: unknown): CalibrationNoise | undefined {
  const parsed = TrainNoise.safeParse(spec);
  if (!parsed.success) return undefined;
  const noise = parsed.data;
  if (noise.type === 'gaussian' || noise.type === 'gaussian-range') return undefined;
  return (clean, shape, rng) => applyNoise(clean, shape, noise, rng);
}
