// What the training graph's forward lowering (training-forward.ts) and its backward rules
// (training-backward.ts) share: a builder that accumulates ONNX nodes and constants under unique
// names, the tape each lowered layer leaves for its backward rule, and the graph's error type.
import type * as tfl from '@tensorflow/tfjs-layers';
import { TensorDataType, type AttributeValue, type OnnxNode, type OnnxTensor } from '../contract/onnx-proto.js';

export type Layer = tfl.layers.Layer;
/** N, C, H, W. */
export type Shape = [number, number, number, number];

export class UnsupportedTrainingGraph extends Error {}

export function fail(layer: Layer, reason: string): never {
  throw new UnsupportedTrainingGraph(`ONNX training graph: layer "${layer.name}" (${layer.getClassName()}): ${reason}`);
}

export const ints = (value: readonly number[]): AttributeValue => ({ kind: 'ints', value });
export const int = (value: number): AttributeValue => ({ kind: 'int', value });

/** Accumulates nodes and constants with unique names. */
export class GraphBuilder {
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
    this.nodes.push({
      opType,
      name: `${output}/${opType}`,
      inputs,
      outputs: [output],
      ...(attributes ? { attributes } : {}),
    });
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
    this.initializers.push({
      name,
      dims: [values.length],
      dataType: TensorDataType.INT64,
      raw: new Uint8Array(data.buffer),
    });
    return name;
  }
}

/** What the backward pass needs to remember about one layer's forward pass. */
export type Tape =
  | {
      kind: 'conv';
      layer: Layer;
      transposed: boolean;
      x: string;
      xShape: Shape;
      w: string;
      param: string;
      kernel: [number, number];
      strides: [number, number];
      pads: [number, number, number, number];
      out: string;
      outShape: Shape;
      activation: string;
      wGrad: string;
      bGrad?: string;
    }
  | {
      kind: 'bn';
      layer: Layer;
      x: string;
      xhat: string;
      invStd: string;
      gamma: string;
      out: string;
      gammaGrad: string;
      betaGrad: string;
    }
  | { kind: 'act'; layer: Layer; x: string; out: string; activation: string }
  | { kind: 'add'; layer: Layer; inputs: string[]; out: string };
