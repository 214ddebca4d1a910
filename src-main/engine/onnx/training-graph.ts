// One ONNX graph that runs a whole training step's arithmetic: the forward pass in training mode
// (BatchNorm on batch statistics), the loss, and the backward pass to every trainable weight, so
// ONNX Runtime's CPU kernels (MLAS: AVX2/AVX-512 GEMMs, multi-threaded) do the work that tfjs-wasm
// does one SIMD lane-set at a time. Built from the tfjs-layers model itself, so the same
// architecture table drives both trainers and the weights keep tfjs layout on both sides of the
// graph: checkpoints, Adam state and exported models are interchangeable between them.
//
// Shapes are static (one batch size and patch size per graph), which lets every padding be
// computed here exactly as TF computes 'same' padding, and lets ORT plan memory once.
//
// The backward rules, NCHW, for y = conv(x, W) with stride s and pads p:
//   dx = ConvTranspose(dy, W; s, p)                 (the adjoint of the forward conv)
//   dW = Conv(xᵀ, dyᵀ; dilation s, p)ᵀ              (ᵀ swaps the batch and channel axes)
// and for a transposed conv the roles of the two convolutions swap.
import type * as tfl from '@tensorflow/tfjs-layers';
import { inboundNames } from './onnx-export.js';
import { activationOf, batchNormConfig, convConfig } from './layer-config.js';
import { encodeModel, TensorDataType, type AttributeValue, type OnnxNode, type OnnxTensor } from './onnx-proto.js';

type Layer = tfl.layers.Layer;
type Shape = [number, number, number, number]; // N, C, H, W

export const TRAIN_INPUT = 'input';
export const TRAIN_TARGET = 'target';
export const TRAIN_LOSS = 'loss';

export interface TrainingGraphOptions {
  batch: number;
  height: number;
  width: number;
  loss: 'mse' | 'l1';
}

export interface BatchNormUpdate {
  /** Indices into model.getWeights() of this layer's moving mean and variance. */
  meanIndex: number;
  varianceIndex: number;
  /** Graph outputs with this batch's per-channel mean and (biased) variance. */
  meanOutput: string;
  varianceOutput: string;
  momentum: number;
  channels: number;
}

export interface TrainingGraph {
  bytes: Uint8Array;
  /** Graph inputs of the trainable weights (tfjs layout), in model.trainableWeights order. */
  paramInputs: string[];
  /** Graph outputs of their gradients (tfjs layout), same order. */
  gradOutputs: string[];
  /** For each trainable weight, its index in model.getWeights(). */
  trainableIndex: number[];
  batchNorms: BatchNormUpdate[];
}


class UnsupportedTrainingGraph extends Error {}

function fail(layer: Layer, reason: string): never {
  throw new UnsupportedTrainingGraph(`ONNX training graph: layer "${layer.name}" (${layer.getClassName()}): ${reason}`);
}

/** TF's 'same' padding for a forward conv on a known input size: [begin, end] (extra pixel at the end). */
function tfSamePad(size: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** Pads of tfjs's transposed conv: the adjoint of a 'same' conv, independent of the input size. */
function tfTransposedSamePad(kernel: number, stride: number): [number, number] {
  const total = Math.max(kernel - stride, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

const ints = (value: readonly number[]): AttributeValue => ({ kind: 'ints', value });
const int = (value: number): AttributeValue => ({ kind: 'int', value });
/** tfjs kernel [kh, kw, a, b] ↔ ONNX [b, a, kh, kw] (both Conv and ConvTranspose). */
const TO_ONNX_KERNEL = [3, 2, 0, 1];
const SWAP_BATCH_CHANNEL = [1, 0, 2, 3];

/** Accumulates nodes and constants with unique names. */
class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private counter = 0;

  op(opType: string, inputs: readonly string[], attributes?: Record<string, AttributeValue>, hint = opType): string {
    const out = `${hint}#${this.counter++}`;
    this.nodes.push({ opType, name: out, inputs, outputs: [out], ...(attributes ? { attributes } : {}) });
    return out;
  }

  /** Like op() but writes to a given output name (graph outputs). */
  opTo(output: string, opType: string, inputs: readonly string[], attributes?: Record<string, AttributeValue>): string {
    this.nodes.push({ opType, name: `${output}/${opType}`, inputs, outputs: [output], ...(attributes ? { attributes } : {}) });
    return output;
  }

  floats(values: readonly number[], dims: number[] = [values.length]): string {
    const name = `const#${this.counter++}`;
    const data = Float32Array.from(values);
    this.initializers.push({ name, dims, dataType: TensorDataType.FLOAT, raw: new Uint8Array(data.buffer) });
    return name;
  }

  int64s(values: readonly number[]): string {
    const name = `const#${this.counter++}`;
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dims: [values.length], dataType: TensorDataType.INT64, raw: new Uint8Array(data.buffer) });
    return name;
  }
}

/** What the backward pass needs to remember about one layer's forward pass. */
type Tape =
  | { kind: 'conv'; layer: Layer; transposed: boolean; x: string; xShape: Shape; w: string; param: string; kernel: number[]; strides: number[]; pads: number[]; preAct: string; out: string; outShape: Shape; activation: string; wGrad: string; bGrad?: string }
  | { kind: 'bn'; layer: Layer; x: string; xhat: string; invStd: string; gamma: string; out: string; outShape: Shape; gammaGrad: string; betaGrad: string }
  | { kind: 'act'; layer: Layer; x: string; out: string; activation: string }
  | { kind: 'add'; layer: Layer; inputs: string[]; out: string };


/** Builds the training-step graph of `model` for one batch shape. */
export function buildTrainingGraph(model: tfl.LayersModel, options: TrainingGraphOptions): TrainingGraph {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) throw new UnsupportedTrainingGraph('ONNX training graph: the model must have one input and one output');
  const channelsIn = model.inputs[0]!.shape[3];
  const channelsOut = model.outputs[0]!.shape[3];
  if (typeof channelsIn !== 'number' || typeof channelsOut !== 'number') throw new UnsupportedTrainingGraph('ONNX training graph: channel counts must be fixed');
  const { batch, height, width } = options;
  const g = new GraphBuilder();
  const allWeights = model.weights;
  const paramInputs: string[] = [];
  const gradOutputs: string[] = [];
  const trainableIndex: number[] = [];
  const paramName = new Map<unknown, string>();
  const gradName = new Map<unknown, string>();
  model.trainableWeights.forEach((w, i) => {
    paramInputs.push(`param${i}`);
    gradOutputs.push(`grad${i}`);
    trainableIndex.push(allWeights.indexOf(w));
    paramName.set(w, `param${i}`);
    gradName.set(w, `grad${i}`);
  });
  const paramOf = (layer: Layer, k: number): string => paramName.get(layer.trainableWeights[k]) ?? fail(layer, `weight ${k} is not trainable`);
  const gradOf = (layer: Layer, k: number): string => gradName.get(layer.trainableWeights[k])!;

  const tensor = new Map<string, { name: string; shape: Shape }>(); // layer name → its NCHW output
  const tapes: Tape[] = [];
  const batchNorms: BatchNormUpdate[] = [];
  const inputName = model.inputLayers[0]!.name;
  tensor.set(inputName, { name: g.op('Transpose', [TRAIN_INPUT], { perm: ints([0, 3, 1, 2]) }, 'input_nchw'), shape: [batch, channelsIn, height, width] });

  const activate = (x: string, activation: string, layer: Layer): string => {
    switch (activation) {
      case 'linear':
        return x;
      case 'relu':
        return g.op('Relu', [x], undefined, `${layer.name}/relu`);
      case 'sigmoid':
        return g.op('Sigmoid', [x], undefined, `${layer.name}/sigmoid`);
      default:
        return fail(layer, `activation "${activation}" has no gradient rule here`);
    }
  };

  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer') continue;
    const inputs = inboundNames(layer).map((n) => tensor.get(n) ?? fail(layer, `input "${n}" is not built before it`));
    const [x] = inputs;
    switch (cls) {
      case 'Conv2D':
      case 'Conv2DTranspose': {
        const transposed = cls === 'Conv2DTranspose';
        const cfg = convConfig(layer);
        if (cfg.dataFormat && cfg.dataFormat !== 'channelsLast') fail(layer, 'only channelsLast is supported');
        if (cfg.dilationRate.some((d) => d !== 1)) fail(layer, 'dilated convolutions are not supported');
        if (cfg.padding === 'causal') fail(layer, 'causal padding is not supported');
        const [kh, kw] = cfg.kernelSize;
        const [sh, sw] = cfg.strides;
        const [, , h, w] = x!.shape;
        const { filters } = cfg;
        let padH: [number, number] = [0, 0];
        let padW: [number, number] = [0, 0];
        if (cfg.padding === 'same') {
          padH = transposed ? tfTransposedSamePad(kh, sh) : tfSamePad(h, kh, sh);
          padW = transposed ? tfTransposedSamePad(kw, sw) : tfSamePad(w, kw, sw);
        }
        const pads = [padH[0], padW[0], padH[1], padW[1]];
        const outH = transposed ? sh * (h - 1) + kh - padH[0] - padH[1] : Math.floor((h + padH[0] + padH[1] - kh) / sh) + 1;
        const outW = transposed ? sw * (w - 1) + kw - padW[0] - padW[1] : Math.floor((w + padW[0] + padW[1] - kw) / sw) + 1;
        const wOnnx = g.op('Transpose', [paramOf(layer, 0)], { perm: ints(TO_ONNX_KERNEL) }, `${layer.name}/W`);
        const convInputs = cfg.useBias ? [x!.name, wOnnx, paramOf(layer, 1)] : [x!.name, wOnnx];
        const preAct = g.op(transposed ? 'ConvTranspose' : 'Conv', convInputs, { kernel_shape: ints([kh, kw]), strides: ints([sh, sw]), pads: ints(pads) }, layer.name);
        const out = activate(preAct, cfg.activation, layer);
        const outShape: Shape = [batch, filters, outH, outW];
        tensor.set(layer.name, { name: out, shape: outShape });
        tapes.push({
          kind: 'conv', layer, transposed, x: x!.name, xShape: x!.shape, w: wOnnx, param: paramOf(layer, 0), kernel: [kh, kw], strides: [sh, sw], pads,
          preAct, out, outShape, activation: cfg.activation, wGrad: gradOf(layer, 0), ...(cfg.useBias ? { bGrad: gradOf(layer, 1) } : {}),
        });
        break;
      }
      case 'BatchNormalization': {
        const cfg = batchNormConfig(layer);
        if (cfg.axis !== -1 && cfg.axis !== 3) fail(layer, `normalises axis ${cfg.axis}; only the channel axis is supported`);
        if (!cfg.center || !cfg.scale) fail(layer, 'needs both center and scale');
        const c = x!.shape[1];
        const mean = g.op('ReduceMean', [x!.name], { axes: ints([0, 2, 3]), keepdims: int(1) }, `${layer.name}/mean`);
        const centred = g.op('Sub', [x!.name, mean]);
        const variance = g.op('ReduceMean', [g.op('Mul', [centred, centred])], { axes: ints([0, 2, 3]), keepdims: int(1) }, `${layer.name}/var`);
        const invStd = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [variance, g.floats([cfg.epsilon], [])])])]);
        const xhat = g.op('Mul', [centred, invStd], undefined, `${layer.name}/xhat`);
        const shape4 = g.int64s([1, c, 1, 1]);
        const gamma = g.op('Reshape', [paramOf(layer, 0), shape4]);
        const beta = g.op('Reshape', [paramOf(layer, 1), shape4]);
        const out = g.op('Add', [g.op('Mul', [xhat, gamma]), beta], undefined, layer.name);
        const meanOutput = `${layer.name}/batch_mean`;
        const varianceOutput = `${layer.name}/batch_variance`;
        const flat = g.int64s([c]);
        g.opTo(meanOutput, 'Reshape', [mean, flat]);
        g.opTo(varianceOutput, 'Reshape', [variance, flat]);
        const [movingMean, movingVariance] = layer.nonTrainableWeights;
        batchNorms.push({ meanIndex: allWeights.indexOf(movingMean!), varianceIndex: allWeights.indexOf(movingVariance!), meanOutput, varianceOutput, momentum: cfg.momentum, channels: c });
        tensor.set(layer.name, { name: out, shape: x!.shape });
        tapes.push({ kind: 'bn', layer, x: x!.name, xhat, invStd, gamma, out, outShape: x!.shape, gammaGrad: gradOf(layer, 0), betaGrad: gradOf(layer, 1) });
        break;
      }
      case 'Activation': {
        const activation = activationOf(layer);
        const out = activate(x!.name, activation, layer);
        tensor.set(layer.name, { name: out, shape: x!.shape });
        tapes.push({ kind: 'act', layer, x: x!.name, out, activation });
        break;
      }
      case 'Add': {
        let acc = inputs[0]!.name;
        for (const other of inputs.slice(1)) acc = g.op('Add', [acc, other.name], undefined, layer.name);
        tensor.set(layer.name, { name: acc, shape: inputs[0]!.shape });
        tapes.push({ kind: 'add', layer, inputs: inputs.map((i) => i.name), out: acc });
        break;
      }
      default:
        fail(layer, 'has no gradient rule in Clearframe’s ONNX trainer');
    }
  }

  // Loss and its gradient with respect to the network's output.
  const output = tensor.get(model.outputLayers[0]!.name)!;
  const target = g.op('Transpose', [TRAIN_TARGET], { perm: ints([0, 3, 1, 2]) }, 'target_nchw');
  const diff = g.op('Sub', [output.name, target]);
  const count = output.shape.reduce((a, b) => a * b, 1);
  let dOutput: string;
  if (options.loss === 'mse') {
    g.opTo(TRAIN_LOSS, 'ReduceMean', [g.op('Mul', [diff, diff])], { keepdims: int(0) });
    dOutput = g.op('Mul', [diff, g.floats([2 / count], [])]);
  } else {
    g.opTo(TRAIN_LOSS, 'ReduceMean', [g.op('Abs', [diff])], { keepdims: int(0) });
    dOutput = g.op('Mul', [g.op('Sign', [diff]), g.floats([1 / count], [])]);
  }

  // Backward: walk the tape in reverse, summing the gradient contributions each tensor receives.
  const grads = new Map<string, string[]>([[output.name, [dOutput]]]);
  const addGrad = (name: string, grad: string) => grads.set(name, [...(grads.get(name) ?? []), grad]);
  const gradOfTensor = (name: string): string | undefined => {
    const parts = grads.get(name);
    if (!parts) return undefined;
    return parts.length === 1 ? parts[0] : g.op('Sum', parts);
  };
  const activationGrad = (dy: string, out: string, activation: string): string => {
    if (activation === 'linear') return dy;
    if (activation === 'relu') return g.op('Mul', [dy, g.op('Sign', [out])]); // out ≥ 0, so Sign is the 0/1 mask
    // sigmoid: dy·σ·(1 − σ)
    return g.op('Mul', [dy, g.op('Mul', [out, g.op('Sub', [g.floats([1], []), out])])]);
  };
  const sumAxes = g.int64s([0, 2, 3]);
  const graphInput = tensor.get(inputName)!.name;

  for (const tape of [...tapes].reverse()) {
    const dy = gradOfTensor(tape.out);
    if (!dy) fail(tape.layer, 'does not reach the loss');
    switch (tape.kind) {
      case 'act':
        addGrad(tape.x, activationGrad(dy, tape.out, tape.activation));
        break;
      case 'add':
        for (const input of tape.inputs) addGrad(input, dy);
        break;
      case 'bn': {
        // dγ = Σ dy·x̂, dβ = Σ dy, dx = (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) / σ with dx̂ = dy·γ
        g.opTo(tape.gammaGrad, 'ReduceSum', [g.op('Mul', [dy, tape.xhat]), sumAxes], { keepdims: int(0) });
        g.opTo(tape.betaGrad, 'ReduceSum', [dy, sumAxes], { keepdims: int(0) });
        const dxhat = g.op('Mul', [dy, tape.gamma]);
        const meanD = g.op('ReduceMean', [dxhat], { axes: ints([0, 2, 3]), keepdims: int(1) });
        const meanDx = g.op('ReduceMean', [g.op('Mul', [dxhat, tape.xhat])], { axes: ints([0, 2, 3]), keepdims: int(1) });
        const inner = g.op('Sub', [g.op('Sub', [dxhat, meanD]), g.op('Mul', [tape.xhat, meanDx])]);
        addGrad(tape.x, g.op('Mul', [inner, tape.invStd]));
        break;
      }
      case 'conv': {
        const dz = activationGrad(dy, tape.out, tape.activation);
        if (tape.bGrad) g.opTo(tape.bGrad, 'ReduceSum', [dz, sumAxes], { keepdims: int(0) });
        const [kh, kw] = tape.kernel as [number, number];
        const [sh, sw] = tape.strides as [number, number];
        const [pt, pl, pb, pr] = tape.pads as [number, number, number, number];
        const [, , h, w] = tape.xShape;
        const [, , oh, ow] = tape.outShape;
        // The big (strided) side and the small side of the pair: for a conv, x is big and dz small.
        const [big, bigH, bigW, small, smallH, smallW] = tape.transposed ? [dz, oh, ow, tape.x, h, w] : [tape.x, h, w, dz, oh, ow];
        // Weight gradient as batched GEMMs over an im2col of the big side, the im2col itself being a
        // convolution with a one-hot kernel per offset (so strides and pads are the forward conv's):
        // dW[bigC·k, smallC] = Σ_n Σ_pixels cols[n, bigC·k, p] · small[n, p, smallC]. (A dilated
        // Conv of the two computes the same, but its 3×3 output makes ORT's GEMMs ~4× slower.)
        const endH = Math.max(0, kh + sh * (smallH - 1) - bigH - pt);
        const endW = Math.max(0, kw + sw * (smallW - 1) - bigW - pl);
        const taps = kh * kw;
        const oneHot = new Array<number>(taps * taps).fill(0);
        for (let t = 0; t < taps; t++) oneHot[t * taps + t] = 1;
        const bigC = (tape.transposed ? tape.outShape : tape.xShape)[1];
        const smallC = (tape.transposed ? tape.xShape : tape.outShape)[1];
        const pixels = smallH * smallW;
        const planes = g.op('Reshape', [big, g.int64s([batch * bigC, 1, bigH, bigW])]);
        const cols = g.op('Conv', [planes, g.floats(oneHot, [taps, 1, kh, kw])], {
          kernel_shape: ints([kh, kw]), strides: ints([sh, sw]), pads: ints([pt, pl, endH, endW]),
        }, `${tape.layer.name}/im2col`); // [N·bigC, taps, smallH, smallW]
        const colsRows = g.op('Reshape', [cols, g.int64s([batch, bigC * taps, pixels])]);
        const smallCols = g.op('Transpose', [g.op('Reshape', [small, g.int64s([batch, smallC, pixels])])], { perm: ints([0, 2, 1]) }); // [N, pixels, smallC]
        const product = g.op('ReduceSum', [g.op('MatMul', [colsRows, smallCols], undefined, `${tape.layer.name}/dW`), g.int64s([0])], { keepdims: int(0) }); // [bigC·taps, smallC]
        // [bigC, kh, kw, smallC] → tfjs [kh, kw, bigC, smallC]: Conv's [kh, kw, in, out] (big = in) or
        // ConvTranspose's [kh, kw, filters, in] (big = filters).
        g.opTo(tape.wGrad, 'Transpose', [g.op('Reshape', [product, g.int64s([bigC, kh, kw, smallC])])], { perm: ints([1, 2, 0, 3]) });
        if (tape.x === graphInput) break; // no gradient needed for the data
        if (tape.transposed) {
          addGrad(tape.x, g.op('Conv', [dz, tape.w], { kernel_shape: ints([kh, kw]), strides: ints([sh, sw]), pads: ints(tape.pads) }, `${tape.layer.name}/dx`));
        } else if (sh === 1 && sw === 1) {
          // Stride 1: the adjoint is a forward conv with the kernel flipped and its axes swapped,
          // which ORT runs ~1.5× faster than the equivalent ConvTranspose.
          const swapped = g.op('Transpose', [tape.param], { perm: ints([2, 3, 0, 1]) }); // tfjs [kh, kw, in, out] → [in, out, kh, kw]
          const flipped = g.op('Slice', [swapped, g.int64s([-1, -1]), g.int64s([-(kh + 1), -(kw + 1)]), g.int64s([2, 3]), g.int64s([-1, -1])]);
          addGrad(tape.x, g.op('Conv', [dz, flipped], { kernel_shape: ints([kh, kw]), pads: ints([kh - 1 - pt, kw - 1 - pl, kh - 1 - pb, kw - 1 - pr]) }, `${tape.layer.name}/dx`));
        } else {
          const fullH = sh * (oh - 1) + kh - pt - pb;
          const fullW = sw * (ow - 1) + kw - pl - pr;
          addGrad(tape.x, g.op('ConvTranspose', [dz, tape.w], {
            kernel_shape: ints([kh, kw]), strides: ints([sh, sw]), pads: ints(tape.pads), output_padding: ints([h - fullH, w - fullW]),
          }, `${tape.layer.name}/dx`));
        }
        break;
      }
    }
  }

  const bytes = encodeModel(
    {
      name: `${model.name}_train`,
      nodes: g.nodes,
      initializers: g.initializers,
      inputs: [
        { name: TRAIN_INPUT, dims: [batch, height, width, channelsIn] },
        { name: TRAIN_TARGET, dims: [batch, height, width, channelsOut] },
        ...model.trainableWeights.map((w, i) => ({ name: paramInputs[i]!, dims: w.shape as number[] })),
      ],
      outputs: [
        { name: TRAIN_LOSS, dims: [] },
        ...model.trainableWeights.map((w, i) => ({ name: gradOutputs[i]!, dims: w.shape as number[] })),
        ...batchNorms.flatMap((b) => [
          { name: b.meanOutput, dims: [b.channels] },
          { name: b.varianceOutput, dims: [b.channels] },
        ]),
      ],
    },
    17,
    { name: 'clearframe-trainer', version: '0.1.0' },
  );
  return { bytes, paramInputs, gradOutputs, trainableIndex, batchNorms };
}
