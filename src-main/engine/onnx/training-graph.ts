// One ONNX graph that runs a whole training step's arithmetic: the forward pass in training mode
// (BatchNorm on batch statistics), the loss, and the backward pass to every trainable weight, so
// ONNX Runtime's CPU kernels (MLAS: AVX2/AVX-512 GEMMs, multi-threaded) do the work that tfjs-wasm
// does one SIMD lane-set at a time. Built from the tfjs-layers model itself, so the same
// architecture table drives both trainers and the weights keep tfjs layout on both sides of the
// graph: checkpoints, Adam state and exported models are interchangeable between them.
//
// Shapes are static (one batch size and patch size per graph), which lets every padding be
// computed here exactly as TF computes 'same' padding, and lets ORT plan memory once. The layers
// are lowered one by one (training-forward.ts), then the tape is walked backwards applying one
// backward rule per operator (training-backward.ts), as autodiff libraries do.
import type * as tfl from '@tensorflow/tfjs-layers';
import { inboundNames } from './onnx-export.js';
import { encodeModel } from '../contract/onnx-proto.js';
import { backward, type BackwardContext } from './training-backward.js';
import { lowerLayer, type BatchNormUpdate, type ForwardContext, type Lowered } from './training-forward.js';
import { fail, GraphBuilder, int, ints, UnsupportedTrainingGraph, type Layer, type Tape } from './training-ops.js';

export type { BatchNormUpdate } from './training-forward.js';

export const TRAIN_INPUT = 'input';
export const TRAIN_TARGET = 'target';
export const TRAIN_LOSS = 'loss';

export interface TrainingGraphOptions {
  batch: number;
  height: number;
  width: number;
  loss: 'mse' | 'l1';
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

/** The forward pass: every layer lowered in model order; answers the output and the tape. */
function lowerForward(model: tfl.LayersModel, ctx: ForwardContext, input: Lowered): Lowered {
  const tensor = new Map<string, Lowered>([[model.inputLayers[0]!.name, input]]); // layer name → its NCHW output
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const inputs = inboundNames(layer).map((n) => tensor.get(n) ?? fail(layer, `input "${n}" is not built before it`));
    tensor.set(layer.name, lowerLayer(ctx, layer, inputs));
  }
  return tensor.get(model.outputLayers[0]!.name)!;
}

/** The loss (a graph output) and its gradient with respect to the network's output. */
function lossAndGradient(g: GraphBuilder, output: Lowered, loss: TrainingGraphOptions['loss']): string {
  const target = g.op('Transpose', [TRAIN_TARGET], { perm: ints([0, 3, 1, 2]) }, 'target_nchw');
  const diff = g.op('Sub', [output.name, target]);
  const count = output.shape.reduce((a, b) => a * b, 1);
  if (loss === 'mse') {
    g.opTo(TRAIN_LOSS, 'ReduceMean', [g.op('Mul', [diff, diff])], { keepdims: int(0) });
    return g.op('Mul', [diff, g.floats([2 / count], [])]);
  }
  g.opTo(TRAIN_LOSS, 'ReduceMean', [g.op('Abs', [diff])], { keepdims: int(0) });
  return g.op('Mul', [g.op('Sign', [diff]), g.floats([1 / count], [])]);
}

/** The backward pass: the tape in reverse, summing the gradient contributions each tensor receives. */
function lowerBackward(
  g: GraphBuilder,
  tapes: Tape[],
  output: string,
  dOutput: string,
  batch: number,
  graphInput: string,
): void {
  const grads = new Map<string, string[]>([[output, [dOutput]]]);
  const gradOfTensor = (name: string): string | undefined => {
    const parts = grads.get(name);
    if (!parts) return undefined;
    return parts.length === 1 ? parts[0] : g.op('Sum', parts);
  };
  const ctx: BackwardContext = {
    g,
    batch,
    addGrad: (name, grad) => grads.set(name, [...(grads.get(name) ?? []), grad]),
    graphInput,
    sumAxes: g.int64s([0, 2, 3]),
  };
  for (const tape of [...tapes].reverse()) {
    const dy = gradOfTensor(tape.out);
    if (!dy) fail(tape.layer, 'does not reach the loss');
    backward(ctx, tape, dy);
  }
}

/** Builds the training-step graph of `model` for one batch shape. */
export function buildTrainingGraph(model: tfl.LayersModel, options: TrainingGraphOptions): TrainingGraph {
  if (model.inputs.length !== 1 || model.outputs.length !== 1)
    throw new UnsupportedTrainingGraph('ONNX training graph: the model must have one input and one output');
  const channelsIn = model.inputs[0]!.shape[3];
  const channelsOut = model.outputs[0]!.shape[3];
  if (typeof channelsIn !== 'number' || typeof channelsOut !== 'number')
    throw new UnsupportedTrainingGraph('ONNX training graph: channel counts must be fixed');
  const { batch, height, width } = options;
  const g = new GraphBuilder();
  const allWeights = model.weights;
  const paramInputs = model.trainableWeights.map((_, i) => `param${i}`);
  const gradOutputs = model.trainableWeights.map((_, i) => `grad${i}`);
  const trainableIndex = model.trainableWeights.map((w) => allWeights.indexOf(w));
  const paramName = new Map<unknown, string>(model.trainableWeights.map((w, i) => [w, paramInputs[i]!]));
  const gradName = new Map<unknown, string>(model.trainableWeights.map((w, i) => [w, gradOutputs[i]!]));
  const ctx: ForwardContext = {
    g,
    batch,
    paramOf: (layer: Layer, k: number) =>
      paramName.get(layer.trainableWeights[k]) ?? fail(layer, `weight ${k} is not trainable`),
    gradOf: (layer: Layer, k: number) => gradName.get(layer.trainableWeights[k])!,
    weightIndex: (weight: unknown) => allWeights.findIndex((w) => w === weight),
    tapes: [],
    batchNorms: [],
  };

  const input: Lowered = {
    name: g.op('Transpose', [TRAIN_INPUT], { perm: ints([0, 3, 1, 2]) }, 'input_nchw'),
    shape: [batch, channelsIn, height, width],
  };
  const output = lowerForward(model, ctx, input);
  const dOutput = lossAndGradient(g, output, options.loss);
  lowerBackward(g, ctx.tapes, output.name, dOutput, batch, input.name);

  const bytes = encodeModel(
    {
      name: `${model.name}_train`,
      nodes: g.nodes,
      initializers: g.initializers,
      inputs: [
        { name: TRAIN_INPUT, dims: [batch, height, width, channelsIn] },
        // The target has the output's size: the input's for the denoisers, smaller for a map at a coarser scale.
        { name: TRAIN_TARGET, dims: [batch, output.shape[2], output.shape[3], channelsOut] },
        ...model.trainableWeights.map((w, i) => ({ name: paramInputs[i]!, dims: w.shape as number[] })),
      ],
      outputs: [
        { name: TRAIN_LOSS, dims: [] },
        ...model.trainableWeights.map((w, i) => ({ name: gradOutputs[i]!, dims: w.shape as number[] })),
        ...ctx.batchNorms.flatMap((b) => [
          { name: b.meanOutput, dims: [b.channels] },
          { name: b.varianceOutput, dims: [b.channels] },
        ]),
      ],
    },
    17,
    { name: 'clearframe-trainer', version: '0.1.0' },
  );
  return { bytes, paramInputs, gradOutputs, trainableIndex, batchNorms: ctx.batchNorms };
}
