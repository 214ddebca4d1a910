// Exported ONNX graphs must compute what the tfjs model computes, for every architecture in the
// table, on a photo-like crop (the test card), with non-trivial BatchNorm statistics so folding is exercised.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { architectures, buildArchitecture } from '../../src-main/engine/models/architectures.js';
import { exportToOnnx } from '../../src-main/engine/onnx/onnx-export.js';
import { createOnnxRuntime, createTfjsRuntime } from '../../src-main/engine/infer/runtime.js';
import { initBackend } from '../../src-main/engine/infer/tfjs-backend.js';
import type { ArchitectureId } from '../../src-shared/schemas/models.js';
import { colourPhoto, greyPhoto } from '../helpers/samples.js';

/** A 64×48 crop of a test photo, as NHWC with `channels` image channels + optional sigma plane. */
async function realCrop(
  channels: 1 | 3,
  extraSigmaChannel: boolean,
): Promise<{ data: Float32Array; shape: [number, number, number, number] }> {
  let img = (channels === 1 ? await greyPhoto('01') : await colourPhoto(0)).extract({
    left: 80,
    top: 100,
    width: 64,
    height: 48,
  });
  img = channels === 1 ? img.greyscale() : img.removeAlpha();
  const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
  const c = channels + (extraSigmaChannel ? 1 : 0);
  const out = new Float32Array(64 * 48 * c);
  for (let p = 0; p < 64 * 48; p++) {
    for (let k = 0; k < channels; k++) out[p * c + k] = data[p * info.channels + k]! / 255;
    if (extraSigmaChannel) out[p * c + channels] = 25 / 255;
  }
  return { data: out, shape: [1, 48, 64, c] };
}

/** Gives every BatchNorm layer random (but valid) γ, β, moving mean and variance. */
function randomiseBatchNorms(
  model: { layers: Array<{ getClassName(): string; getWeights(): tf.Tensor[]; setWeights(w: tf.Tensor[]): void }> },
  seed: number,
): void {
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const weights = layer.getWeights();
    const fresh = weights.map((w, i) =>
      i === weights.length - 1
        ? tf.randomUniform(w.shape, 0.5, 2, 'float32', seed + i)
        : tf.randomNormal(w.shape, i === 0 ? 1 : 0, 0.2, 'float32', seed + i),
    );
    layer.setWeights(fresh);
    fresh.forEach((t) => t.dispose());
  }
}

/** Gives a kernel the architecture starts at zero (dcae-res4-nl's up3) random values, so the branch behind it counts. */
function randomiseZeroKernels(model: tfl.LayersModel, seed: number): void {
  for (const w of model.weights) {
    const value = w.read();
    if (!w.originalName.endsWith('/kernel') || tf.max(tf.abs(value)).dataSync()[0] !== 0) continue;
    w.write(tf.randomNormal(value.shape, 0, 0.05, 'float32', seed));
  }
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('ONNX export parity with tfjs', () => {
  const ids = Object.keys(architectures) as ArchitectureId[];
  it('covers the seed DCAE at least', () => expect(ids).toContain('dcae'));

  for (const id of ids) {
    for (const channels of [1, 3] as const) {
      it(`${id} (${channels} channel${channels > 1 ? 's' : ''}): ONNX Runtime = tfjs within 1e-4`, async () => {
        const { noiseLevelInput } = architectures[id];
        const model = buildArchitecture(id, channels);
        randomiseBatchNorms(model as never, 11);
        randomiseZeroKernels(model, 13);
        const input = await realCrop(channels, noiseLevelInput);
        const onnx = await createOnnxRuntime(exportToOnnx(model), { providers: ['cpu'] });
        const viaOnnx = await onnx.run(input);
        const tfjs = await createTfjsRuntime(model);
        const viaTfjs = await tfjs.run(input);
        expect(viaOnnx.shape).toEqual(viaTfjs.shape);
        let maxDiff = 0;
        let spread = 0;
        for (let i = 0; i < viaTfjs.data.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(viaOnnx.data[i]! - viaTfjs.data[i]!));
          spread = Math.max(spread, Math.abs(viaTfjs.data[i]! - viaTfjs.data[0]!));
        }
        expect(spread).toBeGreaterThan(1e-3); // a constant output would make parity meaningless
        expect(maxDiff).toBeLessThan(1e-4);
        await onnx.dispose();
        await tfjs.dispose();
      });
    }
  }

  it('exports Sequential models too (their InputLayer is implicit), with ReLU6 and k4 s2 transposed convs', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [null, null, 1], filters: 8, kernelSize: 3, strides: 2, padding: 'same' }),
        tfl.layers.reLU({ maxValue: 6 }),
        tfl.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'sigmoid' }),
      ],
    });
    const input = await realCrop(1, false);
    const a = await (await createOnnxRuntime(exportToOnnx(model), { providers: ['cpu'] })).run(input);
    const b = await (await createTfjsRuntime(model)).run(input);
    expect(a.shape).toEqual(b.shape);
    expect(Math.max(...a.data.map((v, i) => Math.abs(v - b.data[i]!)))).toBeLessThan(1e-4);
  });
});
