// `--init` across architectures: a dcae-res4-nl warm-started from the shipped clearframe-photo (a
// dcae-res-nl) takes every layer the two share by name, and, its extra levels starting silent,
// computes exactly clearframe-photo until training moves it.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/infer/tfjs-backend.js';
import { buildArchitecture } from '../../../src-main/engine/models/architectures.js';
import { loadLayersModelFromFolder } from '../../../src-main/engine/models/model-folder.js';
import { initialStateFrom } from '../../../src-main/engine/train/init-from-model.js';
import { seededInitialState } from '../../../src-main/engine/train/initial-state.js';
import { setWeightsOf } from '../../../src-main/engine/train/training-state.js';

const photo = join(fileURLToPath(new URL('../../..', import.meta.url)), 'assets/models/clearframe-photo');
const spec = { arch: 'dcae-res4-nl' as const, channels: 3 as const, loss: 'mse' as const, weightDecay: 0 };

describe('initialStateFrom, another architecture', () => {
  it('a dcae-res4-nl from clearframe-photo (dcae-res-nl) computes clearframe-photo', async () => {
    await initBackend('cpu');
    const state = await initialStateFrom(photo, spec, 5);
    const deep = buildArchitecture('dcae-res4-nl', 3);
    setWeightsOf(deep, state.weights, 'dcae-res4-nl');
    const base = await loadLayersModelFromFolder(photo);
    const x = tf.randomUniform([1, 48, 32, 4], 0, 1, 'float32', 9);
    const [a, b] = [deep.predict(x) as tf.Tensor, base.predict(x) as tf.Tensor];
    expect(tf.max(tf.abs(b)).dataSync()[0]).toBeGreaterThan(0.01);
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBe(0);
    // The layers only the deep net has are a fresh run's of the same seed, and are trained from there.
    const fresh = await seededInitialState(spec, 5);
    const enc3 = deep.weights.findIndex((w) => w.originalName === 'enc3_a/kernel');
    expect(state.weights[enc3]).toEqual(fresh.weights[enc3]);
    expect(state.optimizer.step).toBe(0);
    tf.dispose([x, a, b]);
    deep.dispose();
    base.dispose();
  });

  it('refuses a model of another channel count', async () => {
    await expect(initialStateFrom(photo, { ...spec, channels: 1 })).rejects.toThrow(
      /3 channel\(s\); this run trains a dcae-res4-nl with 1/,
    );
  });
});
