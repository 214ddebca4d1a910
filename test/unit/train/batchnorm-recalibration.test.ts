// BatchNorm recalibration: pooling per-batch statistics gives the statistics of the union, and both
// engines (ONNX Runtime's training graph and the tfjs network) measure the same batch statistics
// and end up with the same moving statistics, the network's own BatchNorm inputs over the patches.
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/infer/tfjs-backend.js';
import {
  poolStatistics,
  recalibrateBatchNorm,
  type ChannelStatistics,
} from '../../../src-main/engine/train/batchnorm-recalibration.js';
import type { Batch } from '../../../src-main/engine/train/batch.js';
import { OrtTrainer } from '../../../src-main/engine/train/ort/ort-trainer.js';
import { SeededRandom } from '../../../src-main/engine/util/rng.js';
import { TrainableNet } from '../../../src-main/engine/train/tfjs/trainable-net.js';
import type { NetSpec } from '../../../src-main/engine/train/training-state.js';

const spec: NetSpec = { arch: 'dcae', channels: 1, loss: 'mse', weightDecay: 0 };

function batches(count: number, seed: number): Batch[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: count }, () => {
    const input = Float32Array.from({ length: 4 * 16 * 16 }, () => rng.next());
    return { input, target: input, inShape: [4, 16, 16, 1], outShape: [4, 16, 16, 1] };
  });
}

function maxRelativeGap(a: Float32Array, b: Float32Array): number {
  let gap = 0;
  for (let i = 0; i < a.length; i++) gap = Math.max(gap, Math.abs(a[i]! - b[i]!) / Math.max(1e-3, Math.abs(b[i]!)));
  return gap;
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('poolStatistics', () => {
  it('answers the mean and variance of all values from equal-sized batches', () => {
    const values = [
      [1, 2, 3, 4],
      [10, 12, 14, 16],
      [-1, 0, 1, 2],
    ];
    const stat = (v: number[]): ChannelStatistics => {
      const m = v.reduce((s, x) => s + x, 0) / v.length;
      return {
        mean: Float32Array.of(m),
        variance: Float32Array.of(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length),
      };
    };
    const [pooled] = poolStatistics(values.map((v) => [stat(v)]));
    const all = stat(values.flat());
    expect(pooled!.mean[0]).toBeCloseTo(all.mean[0]!, 5);
    expect(pooled!.variance[0]).toBeCloseTo(all.variance[0]!, 4);
  });
});

describe('recalibrateBatchNorm', () => {
  it('gives the same moving statistics on ONNX Runtime and on tfjs, and differs from the initial 0 and 1', async () => {
    const net = new TrainableNet(spec);
    const ort = await OrtTrainer.start(spec, { weights: net.getWeights(), optimizer: net.getOptimizerState() }, 1);
    try {
      const draw = (list: Batch[]) => () => list.shift()!;
      const tfjsEngine = {
        batchNormLayers: net.batchNormLayers,
        batchNormStatistics: async (input: Float32Array, shape: Batch['inShape']) =>
          net.batchNormStatistics(input, shape),
        setBatchNormStatistics: async (stats: ChannelStatistics[]) => net.setBatchNormStatistics(stats),
      };
      expect(await recalibrateBatchNorm(ort, draw(batches(3, 5)), 12)).toBe(true);
      expect(await recalibrateBatchNorm(tfjsEngine, draw(batches(3, 5)), 12)).toBe(true);
      expect(net.batchNormLayers).toBe(5);
      const fromOrt = (await ort.state()).weights;
      const fromTfjs = net.getWeights();
      const movingIndices = net.model.weights
        .map((w, i) => [w.name, i] as const)
        .filter(([name]) => /moving_(mean|variance)/.test(name));
      expect(movingIndices).toHaveLength(10);
      for (const [name, i] of movingIndices) {
        expect(maxRelativeGap(fromOrt[i]!, fromTfjs[i]!), name).toBeLessThan(1e-3);
        const initial = /mean/.test(name) ? 0 : 1;
        expect(
          fromTfjs[i]!.some((v) => Math.abs(v - initial) > 1e-3),
          name,
        ).toBe(true);
      }
    } finally {
      await ort.close();
      net.dispose();
    }
  });

  it('leaves networks without BatchNorm alone', async () => {
    const net = new TrainableNet({ ...spec, arch: 'dcae-res' });
    try {
      expect(net.batchNormLayers).toBe(0);
      const engine = {
        batchNormLayers: 0,
        batchNormStatistics: async () => [],
        setBatchNormStatistics: async () => {},
      };
      expect(await recalibrateBatchNorm(engine, () => batches(1, 1)[0]!)).toBe(false);
    } finally {
      net.dispose();
    }
  });
});
