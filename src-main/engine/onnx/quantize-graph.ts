// Static post-training quantisation of our float ONNX graphs to the QDQ form ONNX Runtime fuses
// into integer kernels: every quantised tensor becomes QuantizeLinear → DequantizeLinear, weights
// are stored as per-output-channel symmetric int8 with a DequantizeLinear in front, biases as int32
// at scale s_input·s_weight (what ORT's QLinearConv fusion requires). ORT's CPU optimiser then
// rewrites DQ → Conv → (Relu) → Q into one QLinearConv (uint8 activations × int8 weights, the
// VNNI/AVX-512 path) and drops the Relu when the Q's zero point is the type's minimum.
//
// Which tensors get QDQ: every activation input of a quantised operator and the activation that
// operator produces (its Relu's output when a Relu alone reads it), so consecutive convolutions
// pass uint8 to each other. The last convolution's output (the predicted noise, subtracted from the
// input) stays float unless asked: it is where rounding would show directly in the picture. By
// default stride-2 ConvTranspose is first rewritten as Conv → DepthToSpace (subpixel-conv.ts), so
// up-sampling is an int8 Conv too; ORT then runs DepthToSpace on the uint8 tensor between the Q and
// DQ it sits in, and DQ → Add → Q as QLinearAdd.
import { convTransposeToSubpixel } from './subpixel-conv.js';
import { TensorDataType, type OnnxGraph, type OnnxNode, type OnnxTensor } from '../contract/onnx-proto.js';

export interface QuantizeOptions {
  /** Quantise ConvTranspose as well (ORT fuses it into QLinearConvTranspose); else it runs in float. */
  convTranspose: boolean;
  /** Quantise the skip connections' Add (QLinearAdd); else they add in float. */
  add: boolean;
  /** Quantise the output of the convolution that feeds the graph output. */
  output: boolean;
  /** Activation type: uint8 (asymmetric; what x86's u8×s8 dot products take) or int8. */
  activations: 'uint8' | 'int8';
  /**
   * Names of nodes left in float whatever their type. Default: the convolutions that read the
   * graph input or feed the graph output — the most sensitive layers (on clearframe-colour, 6
   * CBSD68 images at σ 25: all quantised −0.165 dB, these two in float −0.047 dB) and among the
   * cheapest (4→32 and 32→3 channels: < 2% of the multiply-adds).
   */
  floatNodes?: readonly string[];
  /**
   * Rewrite stride-2 ConvTranspose as the equivalent Conv → DepthToSpace first (subpixel-conv.ts),
   * so up-sampling runs as an int8 Conv; ORT's float ConvTranspose was most of the int8 model's time.
   */
  subpixel?: boolean;
}

/**
 * Up-sampling as sub-pixel int8 Conv and the skip Adds as QLinearAdd: on clearframe-photo's 512² tile
 * ~2.5× the float model's speed (ConvTranspose in float was most of the old int8 model's time), at
 * the same PSNR (the Add's inputs are already quantised tensors, so its QDQ adds no rounding).
 */
export const DEFAULT_QUANTIZE_OPTIONS: QuantizeOptions = {
  convTranspose: false,
  add: true,
  output: false,
  activations: 'uint8',
  subpixel: true,
};

/** The range of values a tensor took over the calibration data. */
export interface ActivationRange {
  min: number;
  max: number;
}

interface GraphIndex {
  producer: Map<string, OnnxNode>;
  consumers: Map<string, OnnxNode[]>;
  initializers: Map<string, OnnxTensor>;
  graphOutputs: Set<string>;
}

function indexGraph(graph: OnnxGraph): GraphIndex {
  const producer = new Map<string, OnnxNode>();
  const consumers = new Map<string, OnnxNode[]>();
  for (const node of graph.nodes) {
    for (const o of node.outputs) producer.set(o, node);
    for (const i of node.inputs) consumers.set(i, [...(consumers.get(i) ?? []), node]);
  }
  return {
    producer,
    consumers,
    initializers: new Map(graph.initializers.map((t) => [t.name, t])),
    graphOutputs: new Set(graph.outputs.map((o) => o.name)),
  };
}

/** True when `tensor` is a graph input or comes from one through layout-only nodes. */
function comesFromGraphInput(tensor: string, index: GraphIndex, graph: OnnxGraph): boolean {
  if (graph.inputs.some((i) => i.name === tensor)) return true;
  const from = index.producer.get(tensor);
  return from?.opType === 'Transpose' && comesFromGraphInput(from.inputs[0]!, index, graph);
}

/** The default floatNodes: convolutions at the graph's edges. */
export function edgeConvolutions(graph: OnnxGraph): string[] {
  const index = indexGraph(graph);
  return graph.nodes
    .filter(
      (n) =>
        (n.opType === 'Conv' || n.opType === 'ConvTranspose') &&
        (comesFromGraphInput(n.inputs[0]!, index, graph) || feedsGraphOutput(n.outputs[0]!, index)),
    )
    .map((n) => n.name);
}

function isQuantisedOp(node: OnnxNode, index: GraphIndex, options: QuantizeOptions): boolean {
  if (options.floatNodes?.includes(node.name)) return false;
  if (node.opType === 'Conv' || (node.opType === 'ConvTranspose' && options.convTranspose)) {
    // Integer kernels need constant weights (and a constant bias, when there is one).
    return node.inputs.slice(1).every((i) => index.initializers.get(i)?.dataType === TensorDataType.FLOAT);
  }
  return node.opType === 'Add' && options.add && node.inputs.every((i) => !index.initializers.has(i));
}

/** True when `tensor` reaches a graph output through layout-only nodes (our exporter's final Transpose). */
function feedsGraphOutput(tensor: string, index: GraphIndex): boolean {
  if (index.graphOutputs.has(tensor)) return true;
  const readers = index.consumers.get(tensor) ?? [];
  return readers.length > 0 && readers.every((n) => n.opType === 'Transpose' && feedsGraphOutput(n.outputs[0]!, index));
}

function withDefaultFloatNodes(graph: OnnxGraph, options: QuantizeOptions): QuantizeOptions {
  return options.floatNodes ? options : { ...options, floatNodes: edgeConvolutions(graph) };
}

/** The float graph the quantiser works on: `graph`, with its ConvTranspose rewritten when options.subpixel. Calibrate this one. */
export function graphToQuantize(graph: OnnxGraph, options: Pick<QuantizeOptions, 'subpixel'>): OnnxGraph {
  return options.subpixel ? convTransposeToSubpixel(graph) : graph;
}

/** The tensors that get QuantizeLinear/DequantizeLinear, in graph order; calibrate these (on graphToQuantize's graph). */
export function tensorsToQuantize(
  givenGraph: OnnxGraph,
  givenOptions: QuantizeOptions = DEFAULT_QUANTIZE_OPTIONS,
): string[] {
  const graph = graphToQuantize(givenGraph, givenOptions);
  const options = withDefaultFloatNodes(graph, givenOptions);
  const index = indexGraph(graph);
  const chosen = new Set<string>();
  for (const node of graph.nodes) {
    if (!isQuantisedOp(node, index, options)) continue;
    const activationInputs = node.opType === 'Add' ? node.inputs : [node.inputs[0]!];
    for (const i of activationInputs) chosen.add(i);
    let out = node.outputs[0]!;
    const readers = index.consumers.get(out) ?? [];
    if (readers.length === 1 && readers[0]!.opType === 'Relu') out = readers[0]!.outputs[0]!;
    if (options.output || !feedsGraphOutput(out, index)) chosen.add(out);
  }
  return graph.nodes
    .flatMap((n) => n.outputs)
    .filter((t) => chosen.has(t))
    .concat(graph.inputs.map((i) => i.name).filter((t) => chosen.has(t)));
}

/** A copy of `graph` that also outputs `tensors` (to read intermediate activations while calibrating). */
export function withExtraOutputs(graph: OnnxGraph, tensors: readonly string[]): OnnxGraph {
  const have = new Set(graph.outputs.map((o) => o.name));
  return { ...graph, outputs: [...graph.outputs, ...tensors.filter((t) => !have.has(t)).map((name) => ({ name }))] };
}

function scalarTensor(name: string, dataType: TensorDataType, value: number): OnnxTensor {
  const raw =
    dataType === TensorDataType.FLOAT
      ? new Uint8Array(Float32Array.of(value).buffer)
      : dataType === TensorDataType.UINT8
        ? Uint8Array.of(value)
        : new Uint8Array(Int8Array.of(value).buffer);
  return { name, dims: [], dataType, raw };
}

/** Scale and zero point that map [min, max] (widened to hold 0, so 0 is exact) onto the type's 256 levels. */
export function activationQuantParams(
  range: ActivationRange,
  type: QuantizeOptions['activations'],
): { scale: number; zeroPoint: number } {
  const lo = Math.min(0, range.min);
  const hi = Math.max(0, range.max);
  const scale = hi > lo ? (hi - lo) / 255 : 1;
  const qmin = type === 'uint8' ? 0 : -128;
  const zeroPoint = Math.min(qmin + 255, Math.max(qmin, Math.round(qmin - lo / scale)));
  return { scale, zeroPoint };
}

/** Symmetric per-channel int8 of a float kernel along `axis` (0: Conv's [out, in, kh, kw]; 1: ConvTranspose's [in, out, kh, kw]). */
export function quantizeWeightsPerChannel(
  values: Float32Array,
  dims: readonly number[],
  axis: 0 | 1,
): { q: Int8Array; scales: Float32Array } {
  const channels = dims[axis]!;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const maxAbs = new Float32Array(channels);
  for (let o = 0; o < outer; o++)
    for (let c = 0; c < channels; c++)
      for (let k = 0, base = (o * channels + c) * inner; k < inner; k++)
        maxAbs[c] = Math.max(maxAbs[c]!, Math.abs(values[base + k]!));
  const scales = Float32Array.from(maxAbs, (m) => (m > 0 ? m / 127 : 1));
  const q = new Int8Array(values.length);
  for (let o = 0; o < outer; o++)
    for (let c = 0; c < channels; c++)
      for (let k = 0, base = (o * channels + c) * inner; k < inner; k++)
        q[base + k] = Math.max(-127, Math.min(127, Math.round(values[base + k]! / scales[c]!)));
  return { q, scales };
}

function floatValues(t: OnnxTensor): Float32Array {
  return new Float32Array(t.raw.buffer.slice(t.raw.byteOffset, t.raw.byteOffset + t.raw.byteLength));
}

/**
 * The QDQ int8 version of `graph`. `ranges` must hold every tensor of tensorsToQuantize(graph, options);
 * the float weights of quantised operators are replaced by their int8 forms.
 */
export function quantizeGraph(
  givenGraph: OnnxGraph,
  ranges: ReadonlyMap<string, ActivationRange>,
  givenOptions: QuantizeOptions = DEFAULT_QUANTIZE_OPTIONS,
): OnnxGraph {
  const graph = graphToQuantize(givenGraph, givenOptions);
  const options = withDefaultFloatNodes(graph, givenOptions);
  const index = indexGraph(graph);
  const quantised = tensorsToQuantize(graph, options);
  const actType = options.activations === 'uint8' ? TensorDataType.UINT8 : TensorDataType.INT8;
  const initializers = new Map(graph.initializers.map((t) => [t.name, t]));
  const params = new Map<string, { scale: number; zeroPoint: number }>();
  const qdqNodes = new Map<string, OnnxNode[]>(); // inserted after the producer of the tensor
  const renamed = new Map<OnnxNode, string[]>(); // consumer → its new input list

  const inputsOf = (node: OnnxNode): string[] => renamed.get(node) ?? [...node.inputs];
  for (const tensor of quantised) {
    const range = ranges.get(tensor);
    if (!range) throw new Error(`Quantisation: no calibration range for tensor "${tensor}"`);
    const p = activationQuantParams(range, options.activations);
    params.set(tensor, p);
    initializers.set(`${tensor}/scale`, scalarTensor(`${tensor}/scale`, TensorDataType.FLOAT, p.scale));
    initializers.set(`${tensor}/zero_point`, scalarTensor(`${tensor}/zero_point`, actType, p.zeroPoint));
    const nodes: OnnxNode[] = [
      {
        opType: 'QuantizeLinear',
        name: `${tensor}/Q`,
        inputs: [tensor, `${tensor}/scale`, `${tensor}/zero_point`],
        outputs: [`${tensor}/q`],
      },
    ];
    // One DequantizeLinear per reader: ORT's fusions match a DQ that feeds exactly one node.
    (index.consumers.get(tensor) ?? []).forEach((reader, k) => {
      const dq = `${tensor}/dq${k}`;
      nodes.push({
        opType: 'DequantizeLinear',
        name: `${tensor}/DQ${k}`,
        inputs: [`${tensor}/q`, `${tensor}/scale`, `${tensor}/zero_point`],
        outputs: [dq],
      });
      renamed.set(
        reader,
        inputsOf(reader).map((i) => (i === tensor ? dq : i)),
      );
    });
    qdqNodes.set(tensor, nodes);
  }

  const weightNodes = new Map<OnnxNode, OnnxNode[]>(); // inserted before the conv they feed
  for (const node of graph.nodes) {
    if (!isQuantisedOp(node, index, options) || node.opType === 'Add') continue;
    const inputScale = params.get(node.inputs[0]!)?.scale;
    if (inputScale === undefined) throw new Error(`Quantisation: the input of "${node.name}" is not quantised`);
    const axis = node.opType === 'Conv' ? 0 : 1;
    const w = index.initializers.get(node.inputs[1]!)!;
    const { q, scales } = quantizeWeightsPerChannel(floatValues(w), w.dims, axis);
    const wName = `${w.name}/int8`;
    initializers.delete(w.name);
    initializers.set(wName, {
      name: wName,
      dims: w.dims,
      dataType: TensorDataType.INT8,
      raw: new Uint8Array(q.buffer),
    });
    initializers.set(`${wName}/scale`, {
      name: `${wName}/scale`,
      dims: [scales.length],
      dataType: TensorDataType.FLOAT,
      raw: new Uint8Array(scales.buffer),
    });
    initializers.set(`${wName}/zero_point`, {
      name: `${wName}/zero_point`,
      dims: [scales.length],
      dataType: TensorDataType.INT8,
      raw: new Uint8Array(scales.length),
    });
    const nodes: OnnxNode[] = [
      {
        opType: 'DequantizeLinear',
        name: `${wName}/DQ`,
        inputs: [wName, `${wName}/scale`, `${wName}/zero_point`],
        outputs: [`${wName}/dq`],
        attributes: { axis: { kind: 'int', value: axis } },
      },
    ];
    const inputs = inputsOf(node);
    inputs[1] = `${wName}/dq`;
    const bias = node.inputs[2] ? index.initializers.get(node.inputs[2]) : undefined;
    if (bias) {
      const b = floatValues(bias);
      const bScales = Float32Array.from(scales, (s) => s * inputScale);
      const bq = Int32Array.from(b, (v, c) => Math.max(-2147483647, Math.min(2147483647, Math.round(v / bScales[c]!))));
      const bName = `${bias.name}/int32`;
      initializers.delete(bias.name);
      initializers.set(bName, {
        name: bName,
        dims: bias.dims,
        dataType: TensorDataType.INT32,
        raw: new Uint8Array(bq.buffer),
      });
      initializers.set(`${bName}/scale`, {
        name: `${bName}/scale`,
        dims: [bScales.length],
        dataType: TensorDataType.FLOAT,
        raw: new Uint8Array(bScales.buffer),
      });
      initializers.set(`${bName}/zero_point`, {
        name: `${bName}/zero_point`,
        dims: [bScales.length],
        dataType: TensorDataType.INT32,
        raw: new Uint8Array(bScales.length * 4),
      });
      nodes.push({
        opType: 'DequantizeLinear',
        name: `${bName}/DQ`,
        inputs: [bName, `${bName}/scale`, `${bName}/zero_point`],
        outputs: [`${bName}/dq`],
        attributes: { axis: { kind: 'int', value: 0 } },
      });
      inputs[2] = `${bName}/dq`;
    }
    renamed.set(node, inputs);
    weightNodes.set(node, nodes);
  }

  const nodes: OnnxNode[] = [];
  for (const i of graph.inputs) nodes.push(...(qdqNodes.get(i.name) ?? []));
  for (const node of graph.nodes) {
    nodes.push(...(weightNodes.get(node) ?? []));
    const inputs = renamed.get(node);
    nodes.push(inputs ? { ...node, inputs } : node);
    for (const o of node.outputs) nodes.push(...(qdqNodes.get(o) ?? []));
  }
  return { ...graph, nodes, initializers: [...initializers.values()] };
}
