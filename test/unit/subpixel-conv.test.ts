// The sub-pixel rewrite of ConvTranspose (Conv → DepthToSpace) must be exact: ONNX Runtime runs a
// one-node graph both ways on a random tensor and the answers agree to float rounding, for the
// shapes our exporter makes (k4 s2 p1) and others the rewrite accepts; shapes it cannot express
// stay ConvTranspose.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import {
  encodeModel,
  TensorDataType,
  type OnnxGraph,
  type OnnxNode,
} from '../../src-main/engine/contract/onnx-proto.js';
import { convTransposeToSubpixel, subpixelOffsets } from '../../src-main/engine/onnx/subpixel-conv.js';
import { SeededRandom } from '../../src-main/engine/util/rng.js';

const producer = { name: 'test', version: '0' };

function randomFloats(n: number, rng: SeededRandom): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

function floatTensor(name: string, values: Float32Array, dims: number[]) {
  return { name, dims, dataType: TensorDataType.FLOAT, raw: new Uint8Array(values.buffer) };
}

/** x [1, cin, h, w] → ConvTranspose (kernel k, stride s, pads) → optional Relu → y. */
function convTransposeGraph(
  o: { cin: number; cout: number; k: number; s: number; pads: number[]; relu?: boolean; bias?: boolean },
  rng: SeededRandom,
): OnnxGraph {
  const inputs = ['x', 'W', ...(o.bias === false ? [] : ['B'])];
  const nodes: OnnxNode[] = [
    {
      opType: 'ConvTranspose',
      name: 'up',
      inputs,
      outputs: [o.relu ? 'pre' : 'y'],
      attributes: {
        kernel_shape: { kind: 'ints', value: [o.k, o.k] },
        strides: { kind: 'ints', value: [o.s, o.s] },
        pads: { kind: 'ints', value: o.pads },
      },
    },
  ];
  if (o.relu) nodes.push({ opType: 'Relu', name: 'relu', inputs: ['pre'], outputs: ['y'] });
  return {
    name: 'g',
    nodes,
    initializers: [
      floatTensor('W', randomFloats(o.cin * o.cout * o.k * o.k, rng), [o.cin, o.cout, o.k, o.k]),
      ...(o.bias === false ? [] : [floatTensor('B', randomFloats(o.cout, rng), [o.cout])]),
    ],
    inputs: [{ name: 'x', dims: [1, o.cin, 'h', 'w'] }],
    outputs: [{ name: 'y' }],
  };
}

async function run(
  graph: OnnxGraph,
  x: Float32Array,
  dims: number[],
): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(encodeModel(graph, 17, producer), {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
  });
  try {
    const out = (await session.run({ x: new ort.Tensor('float32', x, dims) })).y!;
    return { data: out.data as Float32Array, dims: out.dims };
  } finally {
    await session.release();
  }
}

describe('convTransposeToSubpixel', () => {
  const cases = [
    {
      label: 'k4 s2 p1 + Relu (the exporter’s up-sampling)',
      cin: 6,
      cout: 5,
      k: 4,
      s: 2,
      pads: [1, 1, 1, 1],
      relu: true,
    },
    { label: 'k4 s2 p1, no bias', cin: 3, cout: 4, k: 4, s: 2, pads: [1, 1, 1, 1], bias: false },
    { label: 'k2 s2 p0', cin: 4, cout: 3, k: 2, s: 2, pads: [0, 0, 0, 0] },
    { label: 'k6 s2 p2', cin: 3, cout: 2, k: 6, s: 2, pads: [2, 2, 2, 2] },
    { label: 'k3 s3 p0', cin: 2, cout: 3, k: 3, s: 3, pads: [0, 0, 0, 0] },
  ];
  for (const c of cases) {
    it(`${c.label}: Conv → DepthToSpace gives ConvTranspose's answer on a random tensor`, async () => {
      const rng = new SeededRandom(7);
      const graph = convTransposeGraph(c, rng);
      const rewritten = convTransposeToSubpixel(graph);
      expect(rewritten.nodes.map((n) => n.opType)).toEqual(
        c.relu ? ['Conv', 'Relu', 'DepthToSpace'] : ['Conv', 'DepthToSpace'],
      );
      expect(rewritten.initializers.map((t) => t.name).sort()).toEqual(
        c.bias === false ? ['W/subpixel'] : ['B/subpixel', 'W/subpixel'],
      );
      const dims = [1, c.cin, 7, 9];
      const x = randomFloats(
        dims.reduce((a, b) => a * b),
        rng,
      );
      const [want, got] = [await run(graph, x, dims), await run(rewritten, x, dims)];
      expect(got.dims).toEqual([1, c.cout, 7 * c.s, 9 * c.s]);
      expect(got.dims).toEqual(want.dims);
      let worst = 0;
      for (let i = 0; i < want.data.length; i++) worst = Math.max(worst, Math.abs(want.data[i]! - got.data[i]!));
      expect(worst).toBeLessThan(1e-5);
      // Not trivially equal: the answer varies.
      expect(Math.max(...want.data) - Math.min(...want.data)).toBeGreaterThan(1);
    });
  }

  it('leaves a ConvTranspose whose output is not exactly s× its input (asymmetric pads, as in the seed DCAE) alone', () => {
    const graph = convTransposeGraph({ cin: 2, cout: 2, k: 3, s: 2, pads: [0, 0, 1, 1] }, new SeededRandom(1));
    expect(convTransposeToSubpixel(graph)).toEqual(graph);
  });

  it('subpixelOffsets: the input offsets the phases read', () => {
    expect(subpixelOffsets(4, 2, 1)).toEqual({ min: -1, max: 1 });
    expect(subpixelOffsets(2, 2, 0)).toEqual({ min: 0, max: 0 });
    expect(subpixelOffsets(6, 2, 2)).toEqual({ min: -1, max: 1 });
    expect(subpixelOffsets(3, 3, 0)).toEqual({ min: 0, max: 0 });
  });
});
