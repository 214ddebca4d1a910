// The ONNX decoder reads back exactly what our encoder writes: every shipped model decodes and
// re-encodes to the same bytes, so the quantiser can rewrite a graph without losing anything.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '../../src-main/engine/contract/onnx-proto.js';

const modelsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../assets/models');

describe('decodeModel', () => {
  for (const id of ['clearframe-colour', 'clearframe-grey', 'dcae-seed-s25']) {
    it(`${id}/model.onnx: decode → encode gives the same bytes`, () => {
      const bytes = new Uint8Array(readFileSync(path.join(modelsDir, id, 'model.onnx')));
      const decoded = decodeModel(bytes);
      expect(decoded.opset).toBe(17);
      expect(decoded.graph.inputs[0]!.dims).toEqual(['batch', 'height', 'width', expect.any(Number)]);
      expect(
        Buffer.compare(Buffer.from(encodeModel(decoded.graph, decoded.opset, decoded.producer)), Buffer.from(bytes)),
      ).toBe(0);
    });
  }

  it('names what it cannot read', () => {
    expect(() => decodeModel(Uint8Array.of(0x0a, 0x05, 0x01))).toThrow(/ONNX decode/);
    expect(() => decodeModel(new Uint8Array(0))).toThrow(/no graph/);
  });
});
