// A minimal protobuf encoder and decoder for the subset of onnx.proto (ModelProto) Clearframe's
// exporter and quantiser emit: varint, fixed32 and length-delimited fields, by field number. Field
// numbers are onnx.proto's (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto); keeping this
// in-house avoids an onnx/protobufjs dependency for one file of code. The decoder reads back what
// the encoder writes (and packed repeated ints, as other writers emit them); anything outside that
// subset fails with the field it met rather than being dropped silently.

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_LENGTH = 2;

/** Appends protobuf fields to a growing byte list. */
class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private varint(value: number | bigint): void {
    // int64 fields: negative numbers are written as 10-byte two's complement, as protobuf requires.
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH);
    this.varint(value.length);
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, inner: ProtoWriter): this {
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}

/** The names of the graph's one input and one output (NHWC float images), as the runtime feeds and fetches them. */
export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'output';

export const TensorDataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7 } as const;
export type TensorDataType = (typeof TensorDataType)[keyof typeof TensorDataType];

export type AttributeValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'string'; value: string };

export interface OnnxNode {
  opType: string;
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Readonly<Record<string, AttributeValue>>;
}

export interface OnnxTensor {
  name: string;
  dims: readonly number[];
  dataType: TensorDataType;
  /** Little-endian raw bytes (Float32Array / BigInt64Array buffers on every platform Node runs on). */
  raw: Uint8Array;
}

/** A graph input/output: a float tensor whose dims are fixed numbers or symbolic names (absent: shape unknown). */
export interface OnnxValueInfo {
  name: string;
  dims?: ReadonlyArray<number | string>;
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
}

// AttributeProto.AttributeType values.
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;

function encodeAttribute(name: string, attr: AttributeValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  switch (attr.kind) {
    case 'float':
      return w.float(2, attr.value).int(20, ATTR_FLOAT);
    case 'int':
      return w.int(3, attr.value).int(20, ATTR_INT);
    case 'string':
      return w.string(4, attr.value).int(20, ATTR_STRING);
    case 'ints':
      for (const v of attr.value) w.int(8, v);
      return w.int(20, ATTR_INTS);
  }
}

function encodeNode(node: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of node.inputs) w.string(1, i);
  for (const o of node.outputs) w.string(2, o);
  w.string(3, node.name).string(4, node.opType);
  for (const [name, attr] of Object.entries(node.attributes ?? {})) w.message(5, encodeAttribute(name, attr));
  return w;
}

function encodeTensor(t: OnnxTensor): ProtoWriter {
  const w = new ProtoWriter();
  for (const d of t.dims) w.int(1, d);
  return w.int(2, t.dataType).string(8, t.name).bytes(9, t.raw);
}

function encodeValueInfo(v: OnnxValueInfo): ProtoWriter {
  const tensorType = new ProtoWriter().int(1, TensorDataType.FLOAT);
  if (v.dims) {
    const shape = new ProtoWriter();
    for (const d of v.dims) {
      shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
    }
    tensorType.message(2, shape);
  }
  const type = new ProtoWriter().message(1, tensorType);
  return new ProtoWriter().string(1, v.name).message(2, type);
}

/** Serialises a ModelProto (IR version 8, default-domain opset `opset`). */
export function encodeModel(graph: OnnxGraph, opset: number, producer: { name: string; version: string }): Uint8Array {
  const g = new ProtoWriter();
  for (const n of graph.nodes) g.message(1, encodeNode(n));
  g.string(2, graph.name);
  for (const t of graph.initializers) g.message(5, encodeTensor(t));
  for (const i of graph.inputs) g.message(11, encodeValueInfo(i));
  for (const o of graph.outputs) g.message(12, encodeValueInfo(o));
  return new ProtoWriter()
    .int(1, 8) // ir_version 8 goes with opset 17
    .string(2, producer.name)
    .string(3, producer.version)
    .message(7, g)
    .message(8, new ProtoWriter().string(1, '').int(2, opset))
    .finish();
}

/** Reads protobuf fields from bytes, one (field, wire type) at a time. */
class ProtoReader {
  private pos = 0;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  private fail(reason: string): never {
    throw new Error(`ONNX decode (${this.what}): ${reason} at byte ${this.pos}`);
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.bytes.length) this.fail('truncated varint');
      const b = this.bytes[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
    return this.fail('varint longer than 10 bytes');
  }

  /** An int64 field as a JS number (two's complement: 10-byte negatives come back negative). */
  int(): number {
    return Number(BigInt.asIntN(64, this.varint()));
  }

  tag(): { field: number; wire: number } {
    const t = Number(this.varint());
    return { field: t >>> 3, wire: t & 7 };
  }

  float(): number {
    if (this.pos + 4 > this.bytes.length) this.fail('truncated float');
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  bytesField(): Uint8Array {
    const n = Number(this.varint());
    if (this.pos + n > this.bytes.length) this.fail('truncated length-delimited field');
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    return new TextDecoder().decode(this.bytesField());
  }

  /** Repeated int64: one varint (unpacked) or a packed run of them. */
  ints(wire: number): number[] {
    if (wire === WIRE_VARINT) return [this.int()];
    const inner = new ProtoReader(this.bytesField(), this.what);
    const out: number[] = [];
    while (!inner.done) out.push(inner.int());
    return out;
  }

  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_LENGTH) this.bytesField();
    else if (wire === WIRE_FIXED32) this.pos += 4;
    else if (wire === 1) this.pos += 8;
    else this.fail(`unsupported wire type ${wire}`);
  }

  /** Calls `on` for every field; `on` returns false for fields it does not read, which are skipped. */
  each(on: (field: number, wire: number) => boolean): void {
    while (!this.done) {
      const { field, wire } = this.tag();
      if (!on(field, wire)) this.skip(wire);
    }
  }
}

function decodeAttribute(bytes: Uint8Array): [string, AttributeValue] {
  const r = new ProtoReader(bytes, 'AttributeProto');
  let name = '';
  let type = 0;
  let f = 0;
  let i = 0;
  let s = '';
  const ints: number[] = [];
  r.each((field, wire) => {
    if (field === 1) name = r.string();
    else if (field === 2) f = r.float();
    else if (field === 3) i = r.int();
    else if (field === 4) s = r.string();
    else if (field === 8) ints.push(...r.ints(wire));
    else if (field === 20) type = r.int();
    else return false;
    return true;
  });
  switch (type) {
    case ATTR_FLOAT:
      return [name, { kind: 'float', value: f }];
    case ATTR_INT:
      return [name, { kind: 'int', value: i }];
    case ATTR_STRING:
      return [name, { kind: 'string', value: s }];
    case ATTR_INTS:
      return [name, { kind: 'ints', value: ints }];
    default:
      throw new Error(`ONNX decode: attribute "${name}" has type ${type}, which Clearframe does not read`);
  }
}

function decodeNode(bytes: Uint8Array): OnnxNode {
  const r = new ProtoReader(bytes, 'NodeProto');
  const inputs: string[] = [];
  const outputs: string[] = [];
  const attributes: Record<string, AttributeValue> = {};
  let name = '';
  let opType = '';
  r.each((field) => {
    if (field === 1) inputs.push(r.string());
    else if (field === 2) outputs.push(r.string());
    else if (field === 3) name = r.string();
    else if (field === 4) opType = r.string();
    else if (field === 5) {
      const [k, v] = decodeAttribute(r.bytesField());
      attributes[k] = v;
    } else if (field === 7) {
      const domain = r.string();
      if (domain !== '' && domain !== 'ai.onnx')
        throw new Error(`ONNX decode: node "${name}" is in domain "${domain}"; only the default domain is read`);
    } else return false;
    return true;
  });
  return Object.keys(attributes).length
    ? { opType, name, inputs, outputs, attributes }
    : { opType, name, inputs, outputs };
}

const KNOWN_TYPES = new Set<number>(Object.values(TensorDataType));

function decodeTensor(bytes: Uint8Array): OnnxTensor {
  const r = new ProtoReader(bytes, 'TensorProto');
  const dims: number[] = [];
  let dataType = 0;
  let name = '';
  let raw: Uint8Array | undefined;
  const floats: number[] = [];
  r.each((field, wire) => {
    if (field === 1) dims.push(...r.ints(wire));
    else if (field === 2) dataType = r.int();
    else if (field === 4) {
      if (wire === WIRE_FIXED32) floats.push(r.float());
      else {
        const inner = new ProtoReader(r.bytesField(), 'TensorProto.float_data');
        while (!inner.done) floats.push(inner.float());
      }
    } else if (field === 8) name = r.string();
    else if (field === 9)
      raw = r.bytesField().slice(); // a copy: aligned, and independent of the file's buffer
    else if (field === 14) throw new Error(`ONNX decode: tensor "${name}" keeps its data outside the model file`);
    else return false;
    return true;
  });
  if (!KNOWN_TYPES.has(dataType))
    throw new Error(`ONNX decode: tensor "${name}" has data type ${dataType}, which Clearframe does not read`);
  if (!raw && floats.length) raw = new Uint8Array(Float32Array.from(floats).buffer);
  return { name, dims, dataType: dataType as TensorDataType, raw: raw ?? new Uint8Array(0) };
}

function decodeValueInfo(bytes: Uint8Array): OnnxValueInfo {
  let name = '';
  let dims: Array<number | string> | undefined;
  const r = new ProtoReader(bytes, 'ValueInfoProto');
  r.each((field) => {
    if (field === 1) {
      name = r.string();
      return true;
    }
    if (field !== 2) return false;
    // TypeProto.tensor_type (1) → shape (2) → dim (1) → dim_value (1) | dim_param (2)
    const type = new ProtoReader(r.bytesField(), 'TypeProto');
    type.each((f) => {
      if (f !== 1) return false;
      const tensorType = new ProtoReader(type.bytesField(), 'TypeProto.Tensor');
      tensorType.each((tf) => {
        if (tf !== 2) return false;
        dims = [];
        const shape = new ProtoReader(tensorType.bytesField(), 'TensorShapeProto');
        shape.each((sf) => {
          if (sf !== 1) return false;
          const dim = new ProtoReader(shape.bytesField(), 'Dimension');
          let d: number | string = '?';
          dim.each((df) => {
            if (df === 1) d = dim.int();
            else if (df === 2) d = dim.string();
            else return false;
            return true;
          });
          dims!.push(d);
          return true;
        });
        return true;
      });
      return true;
    });
    return true;
  });
  return dims ? { name, dims } : { name };
}

/**
 * The graph's inputs and outputs only, every other field skipped unread (an initializer's bytes are
 * not copied): enough to check a model file against its card without decoding its weights. Throws
 * when the bytes are not a ModelProto holding a graph, or end inside a field (a truncated file).
 */
export function readGraphInterface(bytes: Uint8Array): { inputs: OnnxValueInfo[]; outputs: OnnxValueInfo[] } {
  const inputs: OnnxValueInfo[] = [];
  const outputs: OnnxValueInfo[] = [];
  let sawGraph = false;
  const model = new ProtoReader(bytes, 'ModelProto');
  model.each((field, wire) => {
    if (field !== 7 || wire !== WIRE_LENGTH) return false;
    sawGraph = true;
    const g = new ProtoReader(model.bytesField(), 'GraphProto');
    g.each((f) => {
      if (f === 11) inputs.push(decodeValueInfo(g.bytesField()));
      else if (f === 12) outputs.push(decodeValueInfo(g.bytesField()));
      else return false;
      return true;
    });
    return true;
  });
  if (!sawGraph) throw new Error('ONNX decode: the file holds no graph (is it an ONNX model?)');
  return { inputs, outputs };
}

export interface DecodedModel {
  graph: OnnxGraph;
  /** The default domain's opset version. */
  opset: number;
  producer: { name: string; version: string };
}

/** Reads a ModelProto written by encodeModel (our exporter) back into an OnnxGraph. */
export function decodeModel(bytes: Uint8Array): DecodedModel {
  const graph: {
    name: string;
    nodes: OnnxNode[];
    initializers: OnnxTensor[];
    inputs: OnnxValueInfo[];
    outputs: OnnxValueInfo[];
  } = {
    name: '',
    nodes: [],
    initializers: [],
    inputs: [],
    outputs: [],
  };
  let opset = 0;
  let sawGraph = false;
  const producer = { name: '', version: '' };
  const model = new ProtoReader(bytes, 'ModelProto');
  model.each((field) => {
    if (field === 2) producer.name = model.string();
    else if (field === 3) producer.version = model.string();
    else if (field === 8) {
      const op = new ProtoReader(model.bytesField(), 'OperatorSetIdProto');
      let domain = '';
      let version = 0;
      op.each((f) => {
        if (f === 1) domain = op.string();
        else if (f === 2) version = op.int();
        else return false;
        return true;
      });
      if (domain === '' || domain === 'ai.onnx') opset = version;
    } else if (field === 7) {
      sawGraph = true;
      const g = new ProtoReader(model.bytesField(), 'GraphProto');
      g.each((f) => {
        if (f === 1) graph.nodes.push(decodeNode(g.bytesField()));
        else if (f === 2) graph.name = g.string();
        else if (f === 5) graph.initializers.push(decodeTensor(g.bytesField()));
        else if (f === 11) graph.inputs.push(decodeValueInfo(g.bytesField()));
        else if (f === 12) graph.outputs.push(decodeValueInfo(g.bytesField()));
        else return false;
        return true;
      });
    } else return false;
    return true;
  });
  if (!sawGraph) throw new Error('ONNX decode: the file holds no graph (is it an ONNX model?)');
  return { graph, opset, producer };
}
