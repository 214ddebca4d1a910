// The quantiser's default layout on a shipped network: up-sampling becomes an int8 sub-pixel Conv
// (no float ConvTranspose is left, which was most of the old int8 model's time), the skip Adds read
// dequantised int8 tensors (so ORT fuses them into QLinearAdd), and only the edge convolutions keep
// float weights. ONNX Runtime loads and runs the result.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, TensorDataType } from '../../src-main/engine/contract/onnx-proto.js';
import {
  DEFAULT_QUANTIZE_OPTIONS,
  edgeConvolutions,
  quantizeGraph,
  tensorsToQuantize,
} from '../../src-main/engine/onnx/quantize-graph.js';

const modelFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../assets/models/clearframe-colour/model.onnx',
);

describe('quantizeGraph, default options', () => {
  const model = decodeModel(new Uint8Array(readFileSync(modelFile)));
  const ranges = new Map(tensorsToQuantize(model.graph).map((t) => [t, { min: 0, max: 2 }]));
  const graph = quantizeGraph(model.graph, ranges, DEFAULT_QUANTIZE_OPTIONS);

  it('leaves no ConvTranspose, quantises the up-sampling Conv and the Adds’ inputs, keeps the edge convolutions float', () => {
    expect(graph.nodes.filter((n) => n.opType === 'ConvTranspose')).toEqual([]);
    expect(graph.nodes.filter((n) => n.opType === 'DepthToSpace').length).toBe(2);
    const init = new Map(graph.initializers.map((t) => [t.name, t]));
    const producer = new Map(graph.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
    const edges = edgeConvolutions(model.graph);
    for (const conv of graph.nodes.filter((n) => n.opType === 'Conv')) {
      const weightFrom = producer.get(conv.inputs[1]!);
      if (edges.includes(conv.name)) expect(init.get(conv.inputs[1]!)?.dataType).toBe(TensorDataType.FLOAT);
      else expect(init.get(weightFrom?.inputs[0] ?? '')?.dataType).toBe(TensorDataType.INT8);
    }
    for (const add of graph.nodes.filter((n) => n.opType === 'Add'))
      for (const i of add.inputs) expect(producer.get(i)?.opType).toBe('DequantizeLinear');
  });

  it('runs on ONNX Runtime with the float model’s output shape', async () => {
    const session = await ort.InferenceSession.create(encodeModel(graph, model.opset, model.producer), {
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
    });
    const input = new ort.Tensor('float32', new Float32Array(32 * 32 * 4).fill(0.5), [1, 32, 32, 4]);
    const out = (await session.run({ input })).output!;
    expect(out.dims).toEqual([1, 32, 32, 3]);
    await session.release();
  });
});
