// The ONNX Runtime trainer against the tfjs reference: the training graph's loss and gradients equal
// tfjs's autodiff on the cpu backend for every architecture (BatchNorm in training mode included),
// one OrtTrainer step moves the weights, Adam state and BatchNorm moving statistics exactly as a
// tfjs step does, and its state resumes bit-for-bit.
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArchitectureId } from '../../../src-shared/schemas/models.js';
import { initBackend } from '../../../src-main/engine/infer/tfjs-backend.js';
import { Adam } from '../../../src-main/engine/train/adam.js';
import { OrtTrainer } from '../../../src-main/engine/train/ort/ort-trainer.js';
import {
  buildTrainingGraph,
  TRAIN_INPUT,
  TRAIN_LOSS,
  TRAIN_TARGET,
} from '../../../src-main/engine/onnx/training-graph.js';
import { architectures, inputChannelsOf } from '../../../src-main/engine/models/architectures.js';
import { TrainableNet } from '../../../src-main/engine/train/tfjs/trainable-net.js';
import type { BatchShape, LossKind, NetSpec } from '../../../src-main/engine/train/training-state.js';

function seeded(length: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s ^ (s >>> 15), 2246822519) + 0x9e3779b9) >>> 0;
    out[i] = (s / 2 ** 32) * scale;
  }
  return out;
}

/** ‖a − b‖ within `rel`·‖b‖ (plus a floor for tensors whose true gradient is ~0, e.g. a bias before BatchNorm). */
function expectClose(a: Float32Array, b: Float32Array, rel: number, what: string): void {
  expect(a.length, what).toBe(b.length);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  expect(Math.sqrt(num), what).toBeLessThanOrEqual(rel * Math.sqrt(den) + 1e-7);
}

/**
 * A net with seeded weights: Glorot-uniform kernels, small nonzero biases and BatchNorm scales
 * near 1. Random weights would make these comparisons flaky: now and then a ReLU input or an L1
 * residual lands within rounding error of 0, and which side of the kink it falls on flips one
 * element's gradient. With fixed weights the check is exact and the same on every run.
 */
function seededNet(spec: NetSpec, seed: number): TrainableNet {
  const net = new TrainableNet(spec);
  const names = net.model.weights.map((w) => w.name);
  const shapes = net.model.weights.map((w) => w.shape as number[]);
  net.setWeights(
    net.getWeights().map((current, i) => {
      const name = names[i]!;
      const shape = shapes[i]!;
      const uniform = (half: number, centre = 0) =>
        seeded(current.length, seed + 101 * i, 2 * half).map((v) => v - half + centre);
      if (/kernel/.test(name)) {
        const field = shape[0]! * shape[1]!;
        return uniform(Math.sqrt(6 / (field * shape[2]! + field * shape[3]!)));
      }
      if (/gamma/.test(name)) return uniform(0.1, 1);
      if (/bias|beta/.test(name)) return uniform(0.05);
      return current; // BatchNorm moving statistics: not trained by gradients
    }),
  );
  return net;
}

function batchOf(spec: NetSpec, n: number, h: number, w: number, seed: number) {
  const inC = inputChannelsOf(spec.arch, spec.channels);
  const inShape: BatchShape = [n, h, w, inC];
  const outShape: BatchShape = [n, h, w, spec.channels];
  return {
    input: seeded(n * h * w * inC, seed),
    target: seeded(n * h * w * spec.channels, seed + 1, 0.3),
    inShape,
    outShape,
  };
}

const cases: Array<{ arch: ArchitectureId; channels: 1 | 3; loss: LossKind }> = [
  { arch: 'dcae', channels: 1, loss: 'mse' },
  { arch: 'dcae', channels: 3, loss: 'l1' },
  { arch: 'dcae-res', channels: 1, loss: 'mse' },
  { arch: 'dcae-res', channels: 3, loss: 'mse' },
  { arch: 'dcae-res-nl', channels: 1, loss: 'l1' },
  { arch: 'dcae-res-nl', channels: 3, loss: 'mse' },
  { arch: 'dcae-res4-nl', channels: 3, loss: 'mse' },
];

describe('ONNX Runtime training graph', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it.each(cases)(
    '$arch ×$channels ($loss): loss and every gradient equal tfjs autodiff',
    async ({ arch, channels, loss }) => {
      const spec: NetSpec = { arch, channels, loss, weightDecay: 0 };
      const net = seededNet(spec, 11);
      try {
        // Non-square, and 12 → 6 → 3 across the two stride-2 layers, so odd 'same' paddings are exercised
        // (48 → … → 3 across a four-level net's four).
        const [height, width] = architectures[arch].sizeMultiple === 16 ? [16, 48] : [8, 12];
        const b = batchOf(spec, 2, height, width, 7);
        const reference = net.computeGradients(b.input, b.target, b.inShape, b.outShape);
        const graph = buildTrainingGraph(net.model, { batch: 2, height, width, loss });
        const session = await ort.InferenceSession.create(graph.bytes);
        const weights = net.model.getWeights();
        const feeds: Record<string, ort.Tensor> = {
          [TRAIN_INPUT]: new ort.Tensor('float32', b.input, b.inShape),
          [TRAIN_TARGET]: new ort.Tensor('float32', b.target, b.outShape),
        };
        graph.paramInputs.forEach((name, i) => {
          const w = weights[graph.trainableIndex[i]!]!;
          feeds[name] = new ort.Tensor('float32', w.dataSync() as Float32Array, w.shape);
        });
        const result = await session.run(feeds);
        expect((result[TRAIN_LOSS]!.data as Float32Array)[0]).toBeCloseTo(reference.loss, 6);
        expect(graph.gradOutputs).toHaveLength(reference.grads.length);
        graph.gradOutputs.forEach((name, i) =>
          expectClose(
            result[name]!.data as Float32Array,
            reference.grads[i]!,
            1e-4,
            `${arch} ${net.model.trainableWeights[i]!.name}`,
          ),
        );
        expect(graph.batchNorms).toHaveLength(arch === 'dcae' ? 5 : 0);
        await session.release();
      } finally {
        net.dispose();
      }
    },
    300_000, // the four-level net is 4 M weights: minutes on a loaded 2-core machine
  );
});

describe('ONNX Runtime training graph: limits', () => {
  it('names the layer it has no gradient rule for (the trainer then falls back to tfjs)', () => {
    const input = tfl.input({ shape: [8, 8, 1] });
    const leaky = tfl.layers
      .leakyReLU({ name: 'leaky' })
      .apply(tfl.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(input)) as tfl.SymbolicTensor;
    const model = tfl.model({
      inputs: input,
      outputs: tfl.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same' }).apply(leaky) as tfl.SymbolicTensor,
    });
    expect(() => buildTrainingGraph(model, { batch: 1, height: 8, width: 8, loss: 'mse' })).toThrow(
      /layer "leaky" \(LeakyReLU\): has no gradient rule/,
    );
    model.dispose();
  });
});

describe('OrtTrainer', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('takes the same Adam step as tfjs, BatchNorm moving statistics included, and resumes from its state', async () => {
    const spec: NetSpec = { arch: 'dcae', channels: 1, loss: 'mse', weightDecay: 1e-4 };
    const net = seededNet(spec, 5);
    const start = { weights: net.getWeights().map((w) => w.slice()), optimizer: net.getOptimizerState() };
    const trainer = await OrtTrainer.start(spec, start, 1);
    try {
      for (const seed of [1, 2]) {
        const b = batchOf(spec, 2, 8, 8, seed);
        const { grads, batchNorm } = net.computeGradients(b.input, b.target, b.inShape, b.outShape);
        net.applyGradients(grads, 1e-3, batchNorm);
        await trainer.step(b.input, b.target, b.inShape, b.outShape, 1e-3);
      }
      const ours = await trainer.state();
      const theirs = net.getWeights();
      // A conv bias right before a BatchNorm has a true gradient of 0: both sides hold rounding
      // noise there, which Adam scales up to ±lr, so those are the only weights not compared.
      const names = net.model.weights.map((w) => w.name);
      const layers = new Set(net.model.layers.map((l) => l.name));
      const noiseOnly = (i: number) => /\/bias/.test(names[i]!) && layers.has(`${names[i]!.split('/')[0]}_bn`);
      ours.weights.forEach((w, i) => noiseOnly(i) || expectClose(w, theirs[i]!, 1e-4, `weight ${i} (${names[i]})`));
      expect(ours.optimizer.step).toBe(2);
      ours.optimizer.m.forEach(
        (m, i) => noiseOnly(i) || expectClose(m, net.getOptimizerState().m[i]!, 1e-3, `Adam m ${i}`),
      );

      // Inference through the exported ONNX graph equals tfjs's predict on the same weights.
      const probe = batchOf(spec, 1, 12, 8, 9);
      expectClose(
        await trainer.predict(probe.input, probe.inShape),
        net.predict(probe.input, probe.inShape),
        1e-4,
        'prediction',
      );

      // A trainer started from the state continues exactly where this one is.
      const resumed = await OrtTrainer.start(spec, ours, 1);
      const next = batchOf(spec, 2, 8, 8, 3);
      const lossA = await trainer.step(next.input, next.target, next.inShape, next.outShape, 1e-3);
      const lossB = await resumed.step(next.input, next.target, next.inShape, next.outShape, 1e-3);
      expect(lossB).toBe(lossA);
      const [a, c] = [await trainer.state(), await resumed.state()];
      a.weights.forEach((w, i) => expect(c.weights[i]).toEqual(w));
      await resumed.close();
    } finally {
      await trainer.close();
      net.dispose();
    }
  }, 180_000);

  it('refuses a checkpoint of another architecture by name', async () => {
    const state = { weights: [new Float32Array(3)], optimizer: { step: 0, m: [], v: [] } };
    await expect(
      OrtTrainer.start({ arch: 'dcae-res', channels: 1, loss: 'mse', weightDecay: 0 }, state, 1),
    ).rejects.toThrow(/Checkpoint holds 1 weight tensors, dcae-res has/);
  });
});

describe('Adam', () => {
  it('keeps weights and moments in the arrays it was given, and its state restores them', () => {
    const w = [Float32Array.of(1, -2, 3)];
    const adam = new Adam(w);
    adam.apply([Float32Array.of(0.5, -0.5, 0)], 0.1);
    // First Adam step: each weight with a nonzero gradient moves by lr against the gradient's sign.
    [0.9, -1.9, 3].forEach((v, i) => expect(w[0]![i]).toBeCloseTo(v, 5));
    const copy = new Adam([w[0]!.slice()]);
    copy.setState(adam.getState());
    expect(copy.getState()).toEqual(adam.getState());
  });
});
