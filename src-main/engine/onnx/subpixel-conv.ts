// Stride-s transposed convolutions rewritten as the exactly equivalent sub-pixel form: one ordinary
// Conv that computes all s² output phases as s²·Cout channels, then DepthToSpace (DCR) to interleave
// them. ONNX Runtime's CPU ConvTranspose is a GEMM plus a col2im scatter that ran at a tenth of its
// Conv speed here and has no fast int8 kernel, so in the int8 model the up-sampling became most of
// the time; as a Conv it quantises like every other layer (QLinearConv, VNNI). The rewrite is exact
// in real arithmetic (each output pixel sums the same products, in another order).
//
// Phase r of an output axis (output index o = s·m + r) reads input m + d with kernel tap
// k = r + p − s·d, for every d where 0 ≤ k < K; the Conv's kernel spans all d of all phases (taps a
// phase does not use are 0), padded by −d_min before and d_max after.
import {
  TensorDataType,
  type AttributeValue,
  type OnnxGraph,
  type OnnxNode,
  type OnnxTensor,
} from '../contract/onnx-proto.js';

function ints(node: OnnxNode, name: string): readonly number[] | undefined {
  const a: AttributeValue | undefined = node.attributes?.[name];
  return a?.kind === 'ints' ? a.value : undefined;
}

function intAttr(node: OnnxNode, name: string): number | undefined {
  const a = node.attributes?.[name];
  return a?.kind === 'int' ? a.value : undefined;
}

/** The offsets d of input pixels that some output phase reads (d_min..d_max). */
export function subpixelOffsets(kernel: number, stride: number, pad: number): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let r = 0; r < stride; r++)
    for (let k = 0; k < kernel; k++) {
      if ((r + pad - k) % stride !== 0) continue;
      const d = (r + pad - k) / stride;
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
  return { min, max };
}

/** The 2-D ConvTranspose attributes this rewrite handles (square stride s ≥ 2, output exactly s× the input), else undefined. */
function subpixelShape(
  node: OnnxNode,
  weight: OnnxTensor | undefined,
): { stride: number; kernel: number; pad: number } | undefined {
  if (node.opType !== 'ConvTranspose' || weight?.dataType !== TensorDataType.FLOAT || weight.dims.length !== 4)
    return undefined;
  const strides = ints(node, 'strides') ?? [1, 1];
  const pads = ints(node, 'pads') ?? [0, 0, 0, 0];
  const kernel = ints(node, 'kernel_shape') ?? weight.dims.slice(2);
  const dilations = ints(node, 'dilations') ?? [1, 1];
  const autoPad = node.attributes?.['auto_pad'];
  const [s, k, p] = [strides[0]!, kernel[0]!, pads[0]!];
  const uniform =
    strides.every((v) => v === s) && kernel.every((v) => v === k) && pads.length === 4 && pads.every((v) => v === p);
  const plain =
    (intAttr(node, 'group') ?? 1) === 1 &&
    dilations.every((v) => v === 1) &&
    !ints(node, 'output_padding')?.some((v) => v !== 0) &&
    !ints(node, 'output_shape') &&
    (autoPad === undefined || (autoPad.kind === 'string' && autoPad.value === 'NOTSET'));
  return uniform && plain && s >= 2 && k - 2 * p === s ? { stride: s, kernel: k, pad: p } : undefined;
}

/**
 * The Conv weights [s²·Cout, Cin, n, n] (output channel (ry·s + rx)·Cout + c, DepthToSpace DCR order: in NHWC a plain reshape-transpose of whole pixels)
 * equivalent to ConvTranspose weights [Cin, Cout, K, K] of stride s and pads p.
 */
export function subpixelWeights(
  weights: Float32Array,
  dims: readonly number[],
  stride: number,
  pad: number,
): { values: Float32Array; dims: number[] } {
  const [cin, cout, kernel] = [dims[0]!, dims[1]!, dims[2]!];
  const { min, max } = subpixelOffsets(kernel, stride, pad);
  const n = max - min + 1;
  const out = new Float32Array(cout * stride * stride * cin * n * n);
  for (let co = 0; co < cout; co++)
    for (let ry = 0; ry < stride; ry++)
      for (let rx = 0; rx < stride; rx++)
        for (let ci = 0; ci < cin; ci++)
          for (let jy = 0; jy < n; jy++) {
            const ky = ry + pad - stride * (jy + min);
            if (ky < 0 || ky >= kernel) continue;
            for (let jx = 0; jx < n; jx++) {
              const kx = rx + pad - stride * (jx + min);
              if (kx < 0 || kx >= kernel) continue;
              const o = (ry * stride + rx) * cout + co;
              out[((o * cin + ci) * n + jy) * n + jx] = weights[((ci * cout + co) * kernel + ky) * kernel + kx]!;
            }
          }
  return { values: out, dims: [cout * stride * stride, cin, n, n] };
}

function floatTensor(name: string, values: Float32Array, dims: readonly number[]): OnnxTensor {
  return {
    name,
    dims,
    dataType: TensorDataType.FLOAT,
    raw: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  };
}

function floatValues(t: OnnxTensor): Float32Array {
  return new Float32Array(t.raw.buffer.slice(t.raw.byteOffset, t.raw.byteOffset + t.raw.byteLength));
}

/**
 * `graph` with every ConvTranspose that subpixelShape accepts replaced by Conv → DepthToSpace.
 * When a Relu alone reads the ConvTranspose it moves before the DepthToSpace (a Relu commutes
 * with a permutation), so Conv → Relu is the pattern the quantiser and ORT fuse. Tensor names
 * that other nodes read are kept.
 */
export function convTransposeToSubpixel(graph: OnnxGraph): OnnxGraph {
  const initializers = new Map(graph.initializers.map((t) => [t.name, t]));
  const readers = new Map<string, OnnxNode[]>();
  for (const node of graph.nodes) for (const i of node.inputs) readers.set(i, [...(readers.get(i) ?? []), node]);
  const outputs = new Set(graph.outputs.map((o) => o.name));
  const replaced = new Map<OnnxNode, OnnxNode[]>();
  const dropped = new Set<OnnxNode>();
  for (const node of graph.nodes) {
    const weight = initializers.get(node.inputs[1] ?? '');
    const shape = subpixelShape(node, weight);
    const bias = node.inputs[2] ? initializers.get(node.inputs[2]) : undefined;
    if (!shape || !weight || (node.inputs[2] && bias?.dataType !== TensorDataType.FLOAT)) continue;
    const { values, dims } = subpixelWeights(floatValues(weight), weight.dims, shape.stride, shape.pad);
    const { min, max } = subpixelOffsets(shape.kernel, shape.stride, shape.pad);
    const wName = `${weight.name}/subpixel`;
    initializers.set(wName, floatTensor(wName, values, dims));
    const inputs = [node.inputs[0]!, wName];
    if (bias) {
      const b = floatValues(bias);
      const phases = shape.stride * shape.stride;
      const bName = `${bias.name}/subpixel`;
      initializers.set(
        bName,
        floatTensor(
          bName,
          Float32Array.from({ length: b.length * phases }, (_, i) => b[i % b.length]!),
          [b.length * phases],
        ),
      );
      inputs.push(bName);
    }
    const out = node.outputs[0]!;
    const only = readers.get(out) ?? [];
    const relu = only.length === 1 && only[0]!.opType === 'Relu' && !outputs.has(out) ? only[0]! : undefined;
    const conv: OnnxNode = {
      opType: 'Conv',
      name: node.name,
      inputs,
      outputs: [`${out}/phases`],
      attributes: {
        kernel_shape: { kind: 'ints', value: [dims[2]!, dims[3]!] },
        strides: { kind: 'ints', value: [1, 1] },
        dilations: { kind: 'ints', value: [1, 1] },
        pads: { kind: 'ints', value: [-min, -min, max, max] },
      },
    };
    const depthToSpace = (input: string, output: string): OnnxNode => ({
      opType: 'DepthToSpace',
      name: `${node.name}/DepthToSpace`,
      inputs: [input],
      outputs: [output],
      attributes: { blocksize: { kind: 'int', value: shape.stride }, mode: { kind: 'string', value: 'DCR' } },
    });
    if (relu) {
      const activated = `${relu.outputs[0]!}/phases`;
      replaced.set(node, [
        conv,
        { ...relu, inputs: [`${out}/phases`], outputs: [activated] },
        depthToSpace(activated, relu.outputs[0]!),
      ]);
      dropped.add(relu);
    } else {
      replaced.set(node, [conv, depthToSpace(`${out}/phases`, out)]);
    }
    initializers.delete(weight.name);
    if (bias) initializers.delete(bias.name);
  }
  const used = new Set(graph.nodes.filter((n) => !replaced.has(n)).flatMap((n) => n.inputs));
  const nodes = graph.nodes.flatMap((n) => replaced.get(n) ?? (dropped.has(n) ? [] : [n]));
  // An initializer another node still reads (shared weights) stays.
  for (const t of graph.initializers) if (used.has(t.name)) initializers.set(t.name, t);
  return { ...graph, nodes, initializers: [...initializers.values()] };
}
