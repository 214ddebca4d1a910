// Every kernel the trainer registers on wasm, checked against the cpu backend's reference kernels.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers'; // registers the gradient functions
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/engine/infer/tfjs-backend.js';
import { FAST_WASM_KERNELS } from '../../../src-main/engine/train/tfjs/kernels/register-wasm.js';

type Case = {
  h: number;
  w: number;
  cin: number;
  cout: number;
  k: number;
  stride: 1 | 2;
  pad: 'same' | 'valid';
  n: number;
};

const cases: Case[] = [];
for (const k of [3, 4, 5])
  for (const stride of [1, 2] as const)
    for (const pad of ['same', 'valid'] as const) {
      cases.push({ n: 2, h: 13, w: 10, cin: 3, cout: 5, k, stride, pad });
    }
cases.push({ n: 3, h: 16, w: 16, cin: 8, cout: 4, k: 2, stride: 2, pad: 'same' });
cases.push({ n: 1, h: 8, w: 12, cin: 16, cout: 1, k: 3, stride: 1, pad: 'same' });

function seeded(shape: number[], seed: number): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s ^ (s >>> 15), 2246822519) + 0x9e3779b9) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** Conv gradients and the transposed-conv forward on the active backend, as plain arrays. */
function compute(c: Case): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(seeded([c.n, c.h, c.w, c.cin], 1), [c.n, c.h, c.w, c.cin]);
    const f = tf.tensor4d(seeded([c.k, c.k, c.cin, c.cout], 2), [c.k, c.k, c.cin, c.cout]);
    const y = tf.conv2d(x, f, c.stride, c.pad);
    const dy = tf.tensor4d(seeded(y.shape, 3), y.shape as [number, number, number, number]);
    const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad),
    )([x, f], dy);
    // conv2dTranspose of dy back to x's shape (the layer forward that Conv2DTranspose runs).
    const up = tf.conv2dTranspose(dy, f, [c.n, c.h, c.w, c.cin], c.stride, c.pad);
    return [dx!, df!, up].map((t) => t.dataSync() as Float32Array);
  });
}

function relativeError(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
}

describe('fast wasm training kernels', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('replaces every kernel it names on wasm', () => {
    for (const name of FAST_WASM_KERNELS) {
      expect((tf.getKernel(name, 'wasm')?.kernelFunc as { clearframe?: boolean }).clearframe).toBe(true);
    }
  });

  it.each(cases)('conv gradients match cpu: %o', async (c) => {
    await tf.setBackend('cpu');
    const reference = compute(c);
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const fast = compute(c);
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < reference.length; i++) {
      expect(fast[i]!.length).toBe(reference[i]!.length);
      expect(relativeError(fast[i]!, reference[i]!)).toBeLessThan(1e-4);
    }
  });

  it('tiles by broadcast like cpu, and falls back where broadcast does not apply', async () => {
    const run = () =>
      tf.tidy(() => {
        const a = tf.tensor4d(seeded([1, 1, 1, 6], 4), [1, 1, 1, 6]);
        const b = tf.tensor2d(seeded([2, 3], 5), [2, 3]);
        return [tf.tile(a, [4, 5, 3, 1]), tf.tile(b, [2, 2])].map((t) => t.dataSync() as Float32Array);
      });
    await tf.setBackend('cpu');
    const reference = run();
    await tf.setBackend('wasm');
    const fast = run();
    for (let i = 0; i < reference.length; i++) expect(relativeError(fast[i]!, reference[i]!)).toBeLessThan(1e-6);
  });
});
