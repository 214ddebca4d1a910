// A fresh run's network is drawn from its seed: the same seed gives the same weights, another seed
// other weights, every kernel within Glorot uniform's bound and spread over it, every other weight at
// the architecture's own constant start.
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/infer/tfjs-backend.js';
import { buildArchitecture } from '../../../src-main/engine/models/architectures.js';
import { glorotLimit, seededInitialState } from '../../../src-main/engine/train/initial-state.js';
import { weightsOf } from '../../../src-main/engine/train/training-state.js';
import { ArchitectureId } from '../../../src-shared/schemas/models.js';

describe('seededInitialState', () => {
  it('computes Glorot uniform bounds from the fans of a channels-last kernel', () => {
    expect(glorotLimit([3, 3, 64, 128])).toBeCloseTo(Math.sqrt(6 / (9 * 192)), 12);
    expect(glorotLimit([10, 20])).toBeCloseTo(Math.sqrt(6 / 30), 12);
    expect(() => glorotLimit([5])).toThrow(/two dimensions/);
  });

  it.each(ArchitectureId.options)(
    '%s: repeatable per seed, kernels within their bound, the rest as built',
    async (arch) => {
      const spec = { arch, channels: 3 as const, loss: 'mse' as const, weightDecay: 0 };
      const [a, b, other] = await Promise.all([
        seededInitialState(spec, 7),
        seededInitialState(spec, 7),
        seededInitialState(spec, 8),
      ]);
      await initBackend();
      const model = buildArchitecture(arch, 3);
      const built = weightsOf(model);
      expect(a.weights).toHaveLength(built.length);
      let kernels = 0;
      model.weights.forEach((variable, i) => {
        expect(a.weights[i]).toEqual(b.weights[i]);
        if (variable.originalName.endsWith('/kernel') && built[i]!.every((v) => v === 0)) {
          expect(a.weights[i]).toEqual(built[i]); // a kernel the architecture starts at zero (dcae-res4-nl's up3) stays so
        } else if (variable.originalName.endsWith('/kernel')) {
          kernels++;
          const limit = glorotLimit(variable.shape as number[]);
          const values = a.weights[i]!;
          expect(values.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeLessThanOrEqual(limit);
          // Uniform on ±limit: the mean |w| is limit / 2.
          expect(values.reduce((s, v) => s + Math.abs(v), 0) / values.length).toBeGreaterThan(limit * 0.4);
          expect(other.weights[i]).not.toEqual(values);
        } else {
          expect(a.weights[i]).toEqual(built[i]);
        }
      });
      expect(kernels).toBeGreaterThan(3);
      expect(a.optimizer.step).toBe(0);
      expect(a.optimizer.m).toHaveLength(model.trainableWeights.length);
      model.dispose();
    },
  );

  it('a dcae-res4-nl starts silent: its extra levels add nothing until trained', async () => {
    const spec = { arch: 'dcae-res4-nl' as const, channels: 3 as const, loss: 'mse' as const, weightDecay: 0 };
    await initBackend();
    const model = buildArchitecture('dcae-res4-nl', 3);
    const { weights } = await seededInitialState(spec, 3);
    const up3 = model.getLayer('up3').weights.map((w) => weights[model.weights.indexOf(w)]!);
    expect(up3[0]!.length).toBeGreaterThan(0);
    expect(up3.every((w) => w.every((v) => v === 0))).toBe(true);
    model.dispose();
  });
});
