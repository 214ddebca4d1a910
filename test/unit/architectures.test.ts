import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { architectures, buildArchitecture, dcae, inputChannelsOf } from '../../src-main/engine/models/architectures.js';
import type { ArchitectureId } from '../../src-shared/schemas/models.js';
import { initBackend } from '../../src-main/engine/infer/tfjs-backend.js';

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
      return [
        l.getClassName(),
        c.filters ?? null,
        c.kernelSize?.[0] ?? null,
        c.strides?.[0] ?? null,
        c.activation ?? null,
      ];
    });
    expect(summary).toEqual([
      ['InputLayer', null, null, null, null],
      ['Conv2D', 64, 3, 1, 'linear'],
      ['BatchNormalization', null, null, null, null],
      ['Activation', null, null, null, 'relu'],
      ['Conv2D', 128, 3, 2, 'linear'],
      ['BatchNormalization', null, null, null, null],
      ['Activation', null, null, null, 'relu'],
      ['Conv2D', 256, 3, 2, 'linear'],
      ['BatchNormalization', null, null, null, null],
      ['Activation', null, null, null, 'relu'],
      ['Conv2D', 64, 5, 1, 'linear'],
      ['Conv2DTranspose', 128, 3, 2, 'linear'],
      ['BatchNormalization', null, null, null, null],
      ['Activation', null, null, null, 'relu'],
      ['Conv2DTranspose', 64, 3, 2, 'linear'],
      ['BatchNormalization', null, null, null, null],
      ['Activation', null, null, null, 'relu'],
      ['Conv2DTranspose', 1, 3, 1, 'sigmoid'],
    ]);
    model.dispose();
  });

  it('has about 0.93 M trainable weights (exact count from the table)', () => {
    const model = dcae({ channels: 1 });
    const convs =
      9 * 1 * 64 +
      64 +
      (9 * 64 * 128 + 128) +
      (9 * 128 * 256 + 256) +
      (25 * 256 * 64 + 64) +
      (9 * 64 * 128 + 128) +
      (9 * 128 * 64 + 64) +
      (9 * 64 * 1 + 1);
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

describe('the architecture table', () => {
  // Each entry's facts must describe the network its builder makes: the card, the batch drawer and
  // the tiler read the facts, never the network.
  for (const id of Object.keys(architectures) as ArchitectureId[]) {
    it(`${id}: the input channels, output channels and size multiple fit the built network`, () => {
      const { sizeMultiple, output } = architectures[id];
      const model = buildArchitecture(id, 3);
      expect(model.inputs[0]!.shape[3]).toBe(inputChannelsOf(id, 3));
      const side = sizeMultiple * 3;
      const y = tf.tidy(() => model.predict(tf.zeros([1, side, side, inputChannelsOf(id, 3)])) as tf.Tensor);
      expect(y.shape).toEqual([1, side, side, 3]);
      y.dispose();
      // Only a clean-image network ends in a sigmoid; a noise predictor must be able to go negative.
      const last = model.layers[model.layers.length - 1]!.getConfig() as { activation?: string };
      expect(last.activation === 'sigmoid').toBe(output === 'clean');
      model.dispose();
    });
  }
});
