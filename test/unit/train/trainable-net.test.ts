// A training step, an update and a prediction leave no tensor behind, for every architecture.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/infer/tfjs-backend.js';
import '../../../src-main/engine/train/tfjs/kernels/register-wasm.js';
import { TrainableNet } from '../../../src-main/engine/train/tfjs/trainable-net.js';

describe('TrainableNet', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it.each(['dcae', 'dcae-res', 'dcae-res-nl'] as const)(
    '%s: gradient step, update and predict do not leak tensors',
    (arch) => {
      const net = new TrainableNet({ arch, channels: 1, loss: 'mse', weightDecay: 1e-4 });
      const cin = arch === 'dcae-res-nl' ? 2 : 1;
      const input = new Float32Array(2 * 16 * 16 * cin).map((_, i) => (i % 17) / 17);
      const target = new Float32Array(2 * 16 * 16).fill(0.1);
      const before = tf.memory().numTensors;
      const first = net.computeGradients(input, target, [2, 16, 16, cin], [2, 16, 16, 1]);
      net.applyGradients(first.grads, 1e-3, first.batchNorm);
      const second = net.computeGradients(input, target, [2, 16, 16, cin], [2, 16, 16, 1]);
      net.predict(input.subarray(0, 16 * 16 * cin), [1, 16, 16, cin]);
      expect(tf.memory().numTensors).toBe(before);
      // The update was applied (one Adam step from a random start need not lower the loss: it did not,
      // now and then, for dcae-res-nl).
      expect(second.loss).not.toBe(first.loss);
      expect(Number.isFinite(second.loss)).toBe(true);
      expect(net.getOptimizerState().step).toBe(1);
      net.dispose();
    },
  );
});
