// The training graph's forward lowering: each tfjs layer becomes ONNX nodes computing it in
// training mode (BatchNorm on the batch's own statistics), in NCHW on static shapes, and leaves a
// tape entry for its backward rule (training-backward.ts). One lowering function per layer type.
import { activationOf, batchNormConfig, convConfig } from './layer-config.js';
import { fail, int, ints, type GraphBuilder, type Layer, type Shape, type Tape } from './training-ops.js';

/** A tensor of the graph, NCHW. */
export interface Lowered {
  name: string;
  shape: Shape;
}

/** A BatchNorm layer's batch statistics, answered as graph outputs so the trainer can move its moving statistics. */
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

/** What lowering a layer may use and add to. */
export interface ForwardContext {
  g: GraphBuilder;
  batch: number;
  /** The graph input holding trainable weight `k` of `layer` (tfjs layout). */
  paramOf(layer: Layer, k: number): string;
  /** The graph output for the gradient of trainable weight `k` of `layer`. */
  gradOf(layer: Layer, k: number): string;
  /** Index of a weight in model.getWeights(). */
  weightIndex(weight: unknown): number;
  tapes: Tape[];
  batchNorms: BatchNormUpdate[];
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

/** tfjs kernel [kh, kw, a, b] ↔ ONNX [b, a, kh, kw] (both Conv and ConvTranspose). */
const TO_ONNX_KERNEL = [3, 2, 0, 1];

export function activate(g: GraphBuilder, x: string, activation: string, layer: Layer): string {
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
}

function lowerConv(ctx: ForwardContext, layer: Layer, x: Lowered, transposed: boolean): Lowered {
  const { g, batch } = ctx;
  const cfg = convConfig(layer);
  if (cfg.dataFormat && cfg.dataFormat !== 'channelsLast') fail(layer, 'only channelsLast is supported');
  if (cfg.dilationRate.some((d) => d !== 1)) fail(layer, 'dilated convolutions are not supported');
  if (cfg.padding === 'causal') fail(layer, 'causal padding is not supported');
  const [kh, kw] = cfg.kernelSize;
  const [sh, sw] = cfg.strides;
  const [, , h, w] = x.shape;
  let padH: [number, number] = [0, 0];
  let padW: [number, number] = [0, 0];
  if (cfg.padding === 'same') {
    padH = transposed ? tfTransposedSamePad(kh, sh) : tfSamePad(h, kh, sh);
    padW = transposed ? tfTransposedSamePad(kw, sw) : tfSamePad(w, kw, sw);
  }
  const pads: [number, number, number, number] = [padH[0], padW[0], padH[1], padW[1]];
  const outH = transposed ? sh * (h - 1) + kh - padH[0] - padH[1] : Math.floor((h + padH[0] + padH[1] - kh) / sh) + 1;
  const outW = transposed ? sw * (w - 1) + kw - padW[0] - padW[1] : Math.floor((w + padW[0] + padW[1] - kw) / sw) + 1;
  const param = ctx.paramOf(layer, 0);
  const wOnnx = g.op('Transpose', [param], { perm: ints(TO_ONNX_KERNEL) }, `${layer.name}/W`);
  const convInputs = cfg.useBias ? [x.name, wOnnx, ctx.paramOf(layer, 1)] : [x.name, wOnnx];
  const preAct = g.op(
    transposed ? 'ConvTranspose' : 'Conv',
    convInputs,
    { kernel_shape: ints([kh, kw]), strides: ints([sh, sw]), pads: ints(pads) },
    layer.name,
  );
  const out = activate(g, preAct, cfg.activation, layer);
  const outShape: Shape = [batch, cfg.filters, outH, outW];
  ctx.tapes.push({
    kind: 'conv',
    layer,
    transposed,
    x: x.name,
    xShape: x.shape,
    w: wOnnx,
    param,
    kernel: [kh, kw],
    strides: [sh, sw],
    pads,
    out,
    outShape,
    activation: cfg.activation,
    wGrad: ctx.gradOf(layer, 0),
    ...(cfg.useBias ? { bGrad: ctx.gradOf(layer, 1) } : {}),
  });
  return { name: out, shape: outShape };
}

function lowerBatchNorm(ctx: ForwardContext, layer: Layer, x: Lowered): Lowered {
  const { g } = ctx;
  const cfg = batchNormConfig(layer);
  if (cfg.axis !== -1 && cfg.axis !== 3) fail(layer, `normalises axis ${cfg.axis}; only the channel axis is supported`);
  if (!cfg.center || !cfg.scale) fail(layer, 'needs both center and scale');
  const c = x.shape[1];
  const mean = g.op('ReduceMean', [x.name], { axes: ints([0, 2, 3]), keepdims: int(1) }, `${layer.name}/mean`);
  const centred = g.op('Sub', [x.name, mean]);
  const variance = g.op(
    'ReduceMean',
    [g.op('Mul', [centred, centred])],
    { axes: ints([0, 2, 3]), keepdims: int(1) },
    `${layer.name}/var`,
  );
  const invStd = g.op('Reciprocal', [g.op('Sqrt', [g.op('Add', [variance, g.floats([cfg.epsilon], [])])])]);
  const xhat = g.op('Mul', [centred, invStd], undefined, `${layer.name}/xhat`);
  const shape4 = g.int64s([1, c, 1, 1]);
  const gamma = g.op('Reshape', [ctx.paramOf(layer, 0), shape4]);
  const beta = g.op('Reshape', [ctx.paramOf(layer, 1), shape4]);
  const out = g.op('Add', [g.op('Mul', [xhat, gamma]), beta], undefined, layer.name);
  const meanOutput = `${layer.name}/batch_mean`;
  const varianceOutput = `${layer.name}/batch_variance`;
  const flat = g.int64s([c]);
  g.opTo(meanOutput, 'Reshape', [mean, flat]);
  g.opTo(varianceOutput, 'Reshape', [variance, flat]);
  const [movingMean, movingVariance] = layer.nonTrainableWeights;
  ctx.batchNorms.push({
    meanIndex: ctx.weightIndex(movingMean),
    varianceIndex: ctx.weightIndex(movingVariance),
    meanOutput,
    varianceOutput,
    momentum: cfg.momentum,
    channels: c,
  });
  ctx.tapes.push({
    kind: 'bn',
    layer,
    x: x.name,
    xhat,
    invStd,
    gamma,
    out,
    gammaGrad: ctx.gradOf(layer, 0),
    betaGrad: ctx.gradOf(layer, 1),
  });
  return { name: out, shape: x.shape };
}

function lowerActivation(ctx: ForwardContext, layer: Layer, x: Lowered): Lowered {
  const activation = activationOf(layer);
  const out = activate(ctx.g, x.name, activation, layer);
  ctx.tapes.push({ kind: 'act', layer, x: x.name, out, activation });
  return { name: out, shape: x.shape };
}

function lowerAdd(ctx: ForwardContext, layer: Layer, inputs: Lowered[]): Lowered {
  let acc = inputs[0]!.name;
  for (const other of inputs.slice(1)) acc = ctx.g.op('Add', [acc, other.name], undefined, layer.name);
  ctx.tapes.push({ kind: 'add', layer, inputs: inputs.map((i) => i.name), out: acc });
  return { name: acc, shape: inputs[0]!.shape };
}

/** Lowers one layer (its inputs already lowered); fails for a layer type without a gradient rule. */
export function lowerLayer(ctx: ForwardContext, layer: Layer, inputs: Lowered[]): Lowered {
  const x = inputs[0]!;
  switch (layer.getClassName()) {
    case 'Conv2D':
      return lowerConv(ctx, layer, x, false);
    case 'Conv2DTranspose':
      return lowerConv(ctx, layer, x, true);
    case 'BatchNormalization':
      return lowerBatchNorm(ctx, layer, x);
    case 'Activation':
      return lowerActivation(ctx, layer, x);
    case 'Add':
      return lowerAdd(ctx, layer, inputs);
    default:
      return fail(layer, 'has no gradient rule in Clearframe’s ONNX trainer');
  }
}
