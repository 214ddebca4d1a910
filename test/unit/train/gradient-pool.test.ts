// The tfjs workers' BatchNorm moving statistics follow the whole batch. Each worker runs BatchNorm
// in training mode on its own slice; tfjs moved each worker's moving statistics towards its slice
// alone, so the copies stopped being identical and the checkpoint (worker 0's) held half a batch's
// statistics. Now the slices' statistics are pooled like gradients and every worker applies the
// same update. Checked after a few steps with two workers, at lr 0 so the weights stay put:
// - every worker holds the same moving statistics, bit for bit;
// - the first BatchNorm layer's equal those of one network on the whole batch (deeper layers see
//   activations each slice normalised by its own statistics, as in any data-parallel BatchNorm
//   without a mid-forward exchange, so for them "the whole batch" means the slices pooled);
// - every layer's equal the slices' statistics pooled, computed here by another route (the
//   BatchNorm inputs' moments in training mode) than the workers' (tfjs's own moving update).
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/infer/tfjs-backend.js';
import { batchNormConfig } from '../../../src-main/engine/onnx/layer-config.js';
import {
  poolStatistics,
  updateMovingStatistics,
  type ChannelStatistics,
} from '../../../src-main/engine/train/batchnorm-recalibration.js';
import { GradientPool } from '../../../src-main/engine/train/tfjs/gradient-pool.js';
import { TrainableNet } from '../../../src-main/engine/train/tfjs/trainable-net.js';
import type { BatchShape, NetSpec, TrainingState } from '../../../src-main/engine/train/training-state.js';
import { SeededRandom } from '../../../src-main/engine/util/rng.js';

const spec: NetSpec = { arch: 'dcae', channels: 1, loss: 'mse', weightDecay: 0 };
const inShape: BatchShape = [4, 8, 8, 1];
const sliceShape: BatchShape = [2, 8, 8, 1];
const STEPS = 3;

function batches(): Array<{ input: Float32Array; target: Float32Array }> {
  const rng = new SeededRandom(7);
  const size = inShape.reduce((a, b) => a * b, 1);
  // Halves of different brightness, so each slice's statistics differ from the whole batch's.
  return Array.from({ length: STEPS }, () => ({
    input: Float32Array.from({ length: size }, (_, i) => (i < size / 2 ? 0.2 : 0.7) + 0.3 * rng.next()),
    target: Float32Array.from({ length: size }, () => rng.next()),
  }));
}

/** The moving statistics of every BatchNorm layer in a state, found by the weights' names. */
function movingOf(state: TrainingState, net: TrainableNet): ChannelStatistics[] {
  const names = net.model.weights.map((w) => w.name);
  const at = (pattern: RegExp) => names.flatMap((n, i) => (pattern.test(n) ? [state.weights[i]!.slice()] : []));
  const means = at(/moving_mean/);
  return at(/moving_variance/).map((variance, l) => ({ mean: means[l]!, variance }));
}

function expectClose(a: Float32Array, b: Float32Array, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Math.abs(a[i]! - b[i]!), `${what}[${i}]`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(b[i]!)));
}

describe('GradientPool with BatchNorm', () => {
  it('keeps every worker’s moving statistics equal, and equal to the whole batch’s', async () => {
    await initBackend('cpu');
    const reference = new TrainableNet(spec);
    const pool = await GradientPool.start(2, spec, undefined, 'cpu');
    try {
      const start = await pool.state();
      reference.setWeights(start.weights);
      const momenta = reference.model.layers
        .filter((l) => l.getClassName() === 'BatchNormalization')
        .map((l) => batchNormConfig(l).momentum);
      const initial = movingOf(start, reference);
      expect(initial.length).toBe(5); // dcae: 5 BatchNorm layers
      const pooled = movingOf(start, reference);
      const wholeFirst = movingOf(start, reference)[0]!;
      const sliceSize = sliceShape.reduce((a, b) => a * b, 1);
      for (const b of batches()) {
        const slices = [0, 1].map((k) =>
          reference.batchNormStatistics(b.input.subarray(k * sliceSize, (k + 1) * sliceSize), sliceShape),
        );
        poolStatistics(slices, [2, 2]).forEach((batch, l) => updateMovingStatistics(pooled[l]!, batch, momenta[l]!));
        updateMovingStatistics(wholeFirst, reference.batchNormStatistics(b.input, inShape)[0]!, momenta[0]!);
        await pool.step(b.input, b.target, inShape, [inShape[0], inShape[1], inShape[2], 1], 0);
      }
      const [first, second] = (await pool.workerStates()).map((s) => movingOf(s, reference));
      expect(second).toEqual(first);
      expectClose(first![0]!.mean, wholeFirst.mean, 'first layer, mean vs one network on the whole batch');
      expectClose(first![0]!.variance, wholeFirst.variance, 'first layer, variance vs one network on the whole batch');
      first!.forEach((layer, l) => {
        expectClose(layer.mean, pooled[l]!.mean, `layer ${l}, mean vs the slices pooled`);
        expectClose(layer.variance, pooled[l]!.variance, `layer ${l}, variance vs the slices pooled`);
        expect(layer.mean).not.toEqual(initial[l]!.mean); // they did move
      });
    } finally {
      await pool.close();
      reference.dispose();
    }
  }, 120_000);
});
