// tfjs layers model → ONNX (opset 17). The ONNX graph computes in NCHW (what ONNX Runtime's
// convolutions are fastest at) with one Transpose at each boundary, so the graph's input and output
// stay NHWC like the tfjs model: [N, H, W, C] with symbolic N/H/W. BatchNormalization that directly
// follows a linear Conv/ConvTranspose is folded into its weights (inference mode: moving statistics).
import * as tfl from '@tensorflow/tfjs-layers';
import { activationOf, batchNormConfig, concatAxis, convConfig, leakyReluAlpha, reluMaxValue } from './layer-config.js';
import {
  encodeModel,
  ONNX_INPUT,
  ONNX_OUTPUT,
  TensorDataType,
  type AttributeValue,
  type OnnxNode,
  type OnnxTensor,
} from '../contract/onnx-proto.js';

export const ONNX_OPSET = 17;
export { ONNX_INPUT, ONNX_OUTPUT };

type Layer = tfl.layers.Layer;

/** Weights of a conv in ONNX layout with an explicit bias, so BatchNorm can be folded into them. */
interface ConvWeights {
  kernel: Float32Array; // [outC, inC, kh, kw] for Conv, [inC, outC, kh, kw] for ConvTranspose
  dims: number[];
  bias: Float32Array;
  outAxis: 0 | 1; // which dim of `dims` is the output channel
}

class UnsupportedModelError extends Error {}

function fail(layer: Layer, reason: string): never {
  throw new UnsupportedModelError(`ONNX export: layer "${layer.name}" (${layer.getClassName()}): ${reason}`);
}

function floatTensor(name: string, dims: number[], data: Float32Array): OnnxTensor {
  return {
    name,
    dims,
    dataType: TensorDataType.FLOAT,
    raw: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

function layerWeights(layer: Layer): Float32Array[] {
  return layer.getWeights().map((w) => w.dataSync() as Float32Array);
}

/** tfjs kernel [kh, kw, a, b] → [b, a, kh, kw] (Conv: a=in, b=out; ConvTranspose: a=out, b=in). */
function kernelToOnnx(k: Float32Array, kh: number, kw: number, a: number, b: number): Float32Array {
  const out = new Float32Array(k.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < a; i++)
        for (let o = 0; o < b; o++) out[((o * a + i) * kh + y) * kw + x] = k[((y * kw + x) * a + i) * b + o]!;
  return out;
}

function convWeights(layer: Layer, transposed: boolean): ConvWeights {
  const cfg = convConfig(layer);
  const [kernel, bias] = layerWeights(layer);
  const shape = layer.getWeights()[0]!.shape as [number, number, number, number];
  const [kh, kw, a, b] = shape;
  const outC = transposed ? a : b;
  return {
    kernel: kernelToOnnx(kernel!, kh, kw, a, b),
    dims: [b, a, kh, kw],
    bias: cfg.useBias && bias ? Float32Array.from(bias) : new Float32Array(outC),
    outAxis: transposed ? 1 : 0,
  };
}

/** Folds y = γ·(conv(x) − μ)/√(σ² + ε) + β into the conv's kernel and bias. */
function foldBatchNorm(w: ConvWeights, bn: Layer): void {
  const cfg = batchNormConfig(bn);
  const weights = layerWeights(bn);
  let i = 0;
  const gamma = cfg.scale ? weights[i++]! : undefined;
  const beta = cfg.center ? weights[i++]! : undefined;
  const mean = weights[i++]!;
  const variance = weights[i]!;
  const [d0, d1, kh, kw] = w.dims as [number, number, number, number];
  const outC = w.outAxis === 0 ? d0 : d1;
  for (let o = 0; o < outC; o++) {
    const s = (gamma?.[o] ?? 1) / Math.sqrt(variance[o]! + cfg.epsilon);
    w.bias[o] = (w.bias[o]! - mean[o]!) * s + (beta?.[o] ?? 0);
    for (let p = 0; p < (w.outAxis === 0 ? d1 : d0); p++) {
      const base = w.outAxis === 0 ? (o * d1 + p) * kh * kw : (p * d1 + o) * kh * kw;
      for (let k = 0; k < kh * kw; k++) w.kernel[base + k]! *= s;
    }
  }
}

/** tfjs 'same' padding as explicit ONNX pads [top, left, bottom, right]: the extra pixel goes last. */
function samePads(kernel: number[], strides: number[], dilation: number[]): number[] {
  const total = kernel.map((k, i) => Math.max((k - 1) * dilation[i]! + 1 - strides[i]!, 0));
  return [
    Math.floor(total[0]! / 2),
    Math.floor(total[1]! / 2),
    total[0]! - Math.floor(total[0]! / 2),
    total[1]! - Math.floor(total[1]! / 2),
  ];
}

function activationNode(activation: string, input: string, output: string, layer: Layer): OnnxNode | undefined {
  const op = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', linear: 'Identity' }[activation];
  if (!op) fail(layer, `activation "${activation}" is not supported`);
  return { opType: op, name: `${output}/${op}`, inputs: [input], outputs: [output] };
}

/** The names of the tensors a layer reads (one producing layer per input; layers applied once). */
export function inboundNames(layer: Layer): string[] {
  if (layer.inboundNodes.length !== 1)
    fail(layer, `is applied ${layer.inboundNodes.length} times; shared layers are not supported`);
  const node = layer.inboundNodes[0]!;
  return node.inboundLayers.map((l, i) => {
    if ((node.tensorIndices[i] ?? 0) !== 0) fail(layer, 'reads a multi-output layer');
    return l.name;
  });
}

/** Serialises `model` as an ONNX ModelProto whose I/O are NHWC float32 with dynamic N, H, W. */
export function exportToOnnx(source: tfl.LayersModel): Uint8Array {
  // A Sequential hides its InputLayer; viewing it as a functional model over the same layers shows it.
  const model = source.inputLayers.length ? source : tfl.model({ inputs: source.inputs, outputs: source.outputs });
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  // Layer name → the ONNX tensor holding its output (a folded BatchNorm maps to its conv's output).
  const tensorOf = new Map<string, string>();
  const consumers = new Map<string, Layer[]>();
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    for (const name of inboundNames(layer)) consumers.set(name, [...(consumers.get(name) ?? []), layer]);
  }
  const folded = new Set<string>();
  const inputOf = (layer: Layer): string[] =>
    inboundNames(layer).map((n) => tensorOf.get(n) ?? fail(layer, `input "${n}" was not exported before it`));

  if (model.inputs.length !== 1 || model.outputs.length !== 1)
    throw new UnsupportedModelError('ONNX export: the model must have one input and one output');
  const channelsIn = model.inputs[0]!.shape[3];
  const channelsOut = model.outputs[0]!.shape[3];
  if (typeof channelsIn !== 'number' || typeof channelsOut !== 'number')
    throw new UnsupportedModelError('ONNX export: input/output channel counts must be fixed');

  const inputName = model.inputLayers[0]!.name;
  nodes.push({
    opType: 'Transpose',
    name: `${inputName}/to_nchw`,
    inputs: [ONNX_INPUT],
    outputs: [inputName],
    attributes: { perm: { kind: 'ints', value: [0, 3, 1, 2] } },
  });
  tensorOf.set(inputName, inputName);

  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const name = layer.name;
    if (folded.has(name) || cls === 'InputLayer') continue;
    const [input] = inputOf(layer);
    switch (cls) {
      case 'Conv2D':
      case 'Conv2DTranspose': {
        const transposed = cls === 'Conv2DTranspose';
        const cfg = convConfig(layer);
        if (cfg.dataFormat && cfg.dataFormat !== 'channelsLast') fail(layer, 'only channelsLast is supported');
        if (cfg.padding === 'causal') fail(layer, 'causal padding is not supported');
        const weights = convWeights(layer, transposed);
        // Fold a BatchNorm that is the only reader of a linear conv.
        const next = consumers.get(name);
        let outName = name;
        if (cfg.activation === 'linear' && next?.length === 1 && next[0]!.getClassName() === 'BatchNormalization') {
          foldBatchNorm(weights, next[0]!);
          folded.add(next[0]!.name);
          outName = next[0]!.name;
        }
        const strides = cfg.strides;
        const dilation = cfg.dilationRate;
        const attributes: Record<string, AttributeValue> = {
          kernel_shape: { kind: 'ints', value: cfg.kernelSize },
          strides: { kind: 'ints', value: strides },
          dilations: { kind: 'ints', value: dilation },
        };
        if (transposed) {
          // tfjs's transposed conv is the exact adjoint of a 'same'/'valid' forward conv whose input is
          // in·s (same) or (in−1)·s+k (valid); that padding is independent of the input size.
          if (dilation.some((d) => d !== 1)) fail(layer, 'dilated transposed convolutions are not supported');
          if (cfg.padding === 'same') {
            if (cfg.kernelSize.some((k, i) => k < strides[i]!))
              fail(layer, 'kernel smaller than stride with same padding');
            attributes.pads = { kind: 'ints', value: samePads(cfg.kernelSize, strides, dilation) };
          } else {
            attributes.pads = { kind: 'ints', value: [0, 0, 0, 0] };
          }
        } else if (cfg.padding === 'same') {
          // Stride 1: the same fixed pads as TF. Stride > 1: TF's padding depends on the input size;
          // SAME_UPPER computes it per run and, like TF, puts the odd pixel at the end.
          if (strides.every((s) => s === 1))
            attributes.pads = { kind: 'ints', value: samePads(cfg.kernelSize, strides, dilation) };
          else attributes.auto_pad = { kind: 'string', value: 'SAME_UPPER' };
        } else {
          attributes.pads = { kind: 'ints', value: [0, 0, 0, 0] };
        }
        initializers.push(
          floatTensor(`${name}/W`, weights.dims, weights.kernel),
          floatTensor(`${name}/B`, [weights.bias.length], weights.bias),
        );
        const convOut = cfg.activation === 'linear' ? outName : `${outName}/pre_act`;
        nodes.push({
          opType: transposed ? 'ConvTranspose' : 'Conv',
          name,
          inputs: [input!, `${name}/W`, `${name}/B`],
          outputs: [convOut],
          attributes,
        });
        if (cfg.activation !== 'linear') nodes.push(activationNode(cfg.activation, convOut, outName, layer)!);
        tensorOf.set(name, outName);
        tensorOf.set(outName, outName);
        break;
      }
      case 'BatchNormalization': {
        const cfg = batchNormConfig(layer);
        if (cfg.axis !== -1 && cfg.axis !== 3)
          fail(layer, `normalises axis ${cfg.axis}, only the channel axis is supported`);
        const w = layerWeights(layer);
        const c = w[w.length - 1]!.length;
        let i = 0;
        const gamma = cfg.scale ? w[i++]! : new Float32Array(c).fill(1);
        const beta = cfg.center ? w[i++]! : new Float32Array(c);
        initializers.push(
          floatTensor(`${name}/scale`, [c], Float32Array.from(gamma)),
          floatTensor(`${name}/bias`, [c], Float32Array.from(beta)),
          floatTensor(`${name}/mean`, [c], Float32Array.from(w[i]!)),
          floatTensor(`${name}/var`, [c], Float32Array.from(w[i + 1]!)),
        );
        nodes.push({
          opType: 'BatchNormalization',
          name,
          outputs: [name],
          inputs: [input!, `${name}/scale`, `${name}/bias`, `${name}/mean`, `${name}/var`],
          attributes: { epsilon: { kind: 'float', value: cfg.epsilon } },
        });
        tensorOf.set(name, name);
        break;
      }
      case 'Activation': {
        const activation = activationOf(layer);
        nodes.push(activationNode(activation, input!, name, layer)!);
        tensorOf.set(name, name);
        break;
      }
      case 'ReLU': {
        const maxValue = reluMaxValue(layer);
        if (maxValue === undefined) {
          nodes.push({ opType: 'Relu', name, inputs: [input!], outputs: [name] });
        } else {
          initializers.push(
            floatTensor(`${name}/min`, [], Float32Array.of(0)),
            floatTensor(`${name}/max`, [], Float32Array.of(maxValue)),
          );
          nodes.push({ opType: 'Clip', name, inputs: [input!, `${name}/min`, `${name}/max`], outputs: [name] });
        }
        tensorOf.set(name, name);
        break;
      }
      case 'LeakyReLU': {
        const alpha = leakyReluAlpha(layer);
        nodes.push({
          opType: 'LeakyRelu',
          name,
          inputs: [input!],
          outputs: [name],
          attributes: { alpha: { kind: 'float', value: alpha } },
        });
        tensorOf.set(name, name);
        break;
      }
      case 'Add':
      case 'Multiply': {
        const inputs = inputOf(layer);
        const op = cls === 'Add' ? 'Add' : 'Mul';
        let acc = inputs[0]!;
        for (let i = 1; i < inputs.length; i++) {
          const out = i === inputs.length - 1 ? name : `${name}/${i}`;
          nodes.push({ opType: op, name: `${name}/${op}${i}`, inputs: [acc, inputs[i]!], outputs: [out] });
          acc = out;
        }
        tensorOf.set(name, name);
        break;
      }
      case 'Subtract': {
        const inputs = inputOf(layer);
        nodes.push({ opType: 'Sub', name, inputs: [inputs[0]!, inputs[1]!], outputs: [name] });
        tensorOf.set(name, name);
        break;
      }
      case 'Concatenate': {
        const axis = concatAxis(layer);
        if (axis !== -1 && axis !== 3) fail(layer, `concatenates on axis ${axis}, only the channel axis is supported`);
        nodes.push({
          opType: 'Concat',
          name,
          inputs: inputOf(layer),
          outputs: [name],
          attributes: { axis: { kind: 'int', value: 1 } },
        });
        tensorOf.set(name, name);
        break;
      }
      default:
        fail(layer, 'this layer type has no ONNX mapping in Clearframe’s exporter');
    }
  }

  const lastName = model.outputLayers[0]!.name;
  const last = tensorOf.get(lastName);
  if (!last) throw new UnsupportedModelError(`ONNX export: output layer "${lastName}" was not exported`);
  nodes.push({
    opType: 'Transpose',
    name: 'output/to_nhwc',
    inputs: [last],
    outputs: [ONNX_OUTPUT],
    attributes: { perm: { kind: 'ints', value: [0, 2, 3, 1] } },
  });

  return encodeModel(
    {
      name: model.name,
      nodes,
      initializers,
      inputs: [{ name: ONNX_INPUT, dims: ['batch', 'height', 'width', channelsIn] }],
      outputs: [{ name: ONNX_OUTPUT, dims: ['batch', 'height', 'width', channelsOut] }],
    },
    ONNX_OPSET,
    { name: 'clearframe', version: '0.1.0' },
  );
}
