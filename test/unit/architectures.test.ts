import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { dcae } from '../../src-main/engine/models/architectures.js';
import { initBackend } from '../../src-main/engine/backend.js';

beforeAll(async () => {
  await initBackend('cpu');
});

function trainableParams(model: { trainableWeights: Array<{ shape: Array<number | null> }> }): number {
  return model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce<number>((p, d) => p * (d ?? 1), 1), 0);
}

describe('dcae (seed DCAE)', () => {
  it('has the layers of seed-dcae.md in order', () => {
    const model = dcae({ channels: 1 });
    const summary = model.layers.map((l) => {
      const c = l.getConfig() as { filters?: number; kernelSize?: number[]; strides?: number[]; activation?: string };
      return [l.getClassName(), c.filters ?? null, c.kernelSize?.[0] ?? null, c.strides?.[0] ?? null, c.activation ?? null];
    });
    expect(summary).toEqual([
      ['InputLayer', null, null, null, null],
      ['Conv2D', 64, 3, 1, 'linear'], ['BatchNormalization', null, null, null, null], ['Activation', null, null, null, 'relu'],
      ['Conv2D', 128, 3, 2, 'linear'], ['BatchNormalization', null, null, null, null], ['Activation', null, null, null, 'relu'],
      ['Conv2D', 256, 3, 2, 'linear'], ['BatchNormalization', null, null, null, null], ['Activation', null, null, null, 'relu'],
      ['Conv2D', 64, 5, 1, 'linear'],
      ['Conv2DTranspose', 128, 3, 2, 'linear'], ['BatchNormalization', null, null, null, null], ['Activation', null, null, null, 'relu'],
      ['Conv2DTranspose', 64, 3, 2, 'linear'], ['BatchNormalization', null, null, null, null], ['Activation', null, null, null, 'relu'],
      ['Conv2DTranspose', 1, 3, 1, 'sigmoid'],
    ]);
    model.dispose();
  });

  it('has about 0.93 M trainable weights (exact count from the table)', () => {
    const model = dcae({ channels: 1 });
    const convs = (9 * 1 * 64 + 64) + (9 * 64 * 128 + 128) + (9 * 128 * 256 + 256) + (25 * 256 * 64 + 64)
      + (9 * 64 * 128 + 128) + (9 * 128 * 64 + 64) + (9 * 64 * 1 + 1);
    const bnGammaBeta = 2 * (64 + 128 + 256 + 128 + 64);
    expect(trainableParams(model)).toBe(convs + bnGammaBeta);
    expect(trainableParams(model) / 1e6).toBeCloseTo(0.93, 2);
    model.dispose();
  });

  it('maps an H×W×C input to an H×W×C output for colour and noise-level inputs', () => {
    const model = dcae({ channels: 3, noiseLevelInput: true });
    const before = tf.memory().numTensors;
    const y = tf.tidy(() => model.predict(tf.zeros([1, 16, 24, 4])) as tf.Tensor);
    expect(y.shape).toEqual([1, 16, 24, 3]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
