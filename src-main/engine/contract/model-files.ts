// A model folder's file names and its card, read with plain fs + JSON: what the main process needs
// to list, import and delete models without loading tfjs or ONNX Runtime (model-folder.ts writes
// and loads the networks themselves). Every file is checked before it is read: a regular file,
// inside the model folder (a link may not lead out of it: to /dev/zero, to a user's private file),
// and of a size its network can have; an error names the file and the rule, never its contents.
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, isAbsolute } from 'node:path';
import { ModelCard } from '../../../src-shared/schemas/models.js';
import { ONNX_INPUT, ONNX_OUTPUT, readGraphInterface, type OnnxValueInfo } from './onnx-proto.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const MODEL_ONNX = 'model.onnx';
/** The int8 (QDQ) model `clearframe quantize` writes, used on the CPU when card.quantized passes the guard. */
export const MODEL_INT8_ONNX = 'model.int8.onnx';
export const CARD_JSON = 'card.json';
/** A training run's folder is also its model folder; its checkpoints live in this subfolder. */
export const RUN_CHECKPOINTS = 'checkpoints';

/** A card is a few kilobytes (its longest texts are bounded by the schema). */
export const MAX_CARD_BYTES = 256 * 1024;
/** Parameters assumed for a card that does not state its count: more than any network here has. */
const UNSTATED_PARAMS = 64_000_000;
/** Bytes a network file may take per parameter (float32, with room for graph and metadata) beyond a fixed 4 MB. */
const BYTES_PER_PARAM = 8;

/** The largest a network file (ONNX, tfjs weights) of `card`'s network can be. */
export function maxNetworkBytes(card: Pick<ModelCard, 'params'>): number {
  return (card.params ?? UNSTATED_PARAMS) * BYTES_PER_PARAM + 4 * 1024 * 1024;
}

function mib(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

/**
 * Throws unless `dir/name` is a regular file inside `dir` (after following links) of at most
 * `maxBytes`; answers its size and mtime. Missing files answer undefined.
 */
export async function checkModelFile(
  dir: string,
  name: string,
  maxBytes: number,
): Promise<{ size: number; mtimeMs: number } | undefined> {
  const path = join(dir, name);
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new Error(`${path}: cannot be read (${error.code ?? 'unknown error'})`);
  });
  if (info === undefined) return undefined;
  const [realDir, realFile] = await Promise.all([realpath(dir), realpath(path)]);
  const inside = relative(realDir, realFile);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside))
    throw new Error(`${path}: is a link leading outside the model folder`);
  if (!info.isFile()) throw new Error(`${path}: is not a regular file`);
  if (info.size > maxBytes)
    throw new Error(`${path}: is ${mib(info.size)}, more than a file of this model can be (${mib(maxBytes)})`);
  return { size: info.size, mtimeMs: info.mtimeMs };
}

/** Cards already read, by path, with the size and mtime they were read at: models:list asks often. */
const cardCache = new Map<string, { size: number; mtimeMs: number; card: ModelCard }>();

/** Reads and validates card.json; the error names the folder and what is wrong, never the file's contents. */
export async function readCard(dir: string): Promise<ModelCard> {
  const path = join(dir, CARD_JSON);
  const file = await checkModelFile(dir, CARD_JSON, MAX_CARD_BYTES);
  if (file === undefined) throw new Error(`${dir}: no readable ${CARD_JSON}`);
  const cached = cardCache.get(path);
  if (cached && cached.size === file.size && cached.mtimeMs === file.mtimeMs) return cached.card;
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch {
    throw new Error(`${dir}: no readable ${CARD_JSON}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    // V8's message quotes the text around the mistake: only its position is told.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new Error(`${path}: not valid JSON${position === undefined ? '' : ` (at character ${position})`}`, {
      cause: error,
    });
  }
  const result = ModelCard.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${path}: ${issue ? `${issue.path.join('.') || 'card'}: ${issue.message}` : 'invalid card'}`);
  }
  cardCache.set(path, { ...file, card: result.data });
  return result.data;
}

/** What an ONNX file offers the runtime: its input's and output's dims, or why it cannot be run. */
type OnnxInterface = { input: OnnxValueInfo['dims']; output: OnnxValueInfo['dims'] } | { problem: string };

/** ONNX files already read, by path, with the size and mtime they were read at. */
const onnxCache = new Map<string, { size: number; mtimeMs: number; found: OnnxInterface }>();

async function readOnnxInterface(path: string): Promise<OnnxInterface> {
  let graph: ReturnType<typeof readGraphInterface>;
  try {
    graph = readGraphInterface(await readFile(path));
  } catch (error) {
    const reason = (error as Error).message;
    if ((error as NodeJS.ErrnoException).code)
      return { problem: `cannot be read (${(error as NodeJS.ErrnoException).code})` };
    return {
      problem: /truncated/.test(reason)
        ? 'is not a whole ONNX model (truncated: it ends inside its graph)'
        : 'is not an ONNX model',
    };
  }
  const named = (list: OnnxValueInfo[], name: string, what: string): OnnxValueInfo | string =>
    list.find((v) => v.name === name) ??
    `has no ${what} named "${name}" (it has: ${list.map((v) => v.name).join(', ') || 'none'})`;
  const input = named(graph.inputs, ONNX_INPUT, 'input');
  const output = named(graph.outputs, ONNX_OUTPUT, 'output');
  if (typeof input === 'string' || typeof output === 'string')
    return { problem: typeof input === 'string' ? input : (output as string) };
  return { input: input.dims, output: output.dims };
}

/**
 * Throws unless `dir/name` (an ONNX file checked by checkModelFile) is a whole ONNX model whose
 * input and output are the NHWC images its card describes: rank 4, the card's channels in (plus
 * the σ plane of a noise-level model) and out. Read once per size and mtime: models:list asks often.
 */
export async function checkOnnxInterface(
  dir: string,
  name: string,
  file: { size: number; mtimeMs: number },
  card: ModelCard,
): Promise<void> {
  const path = join(dir, name);
  const cached = onnxCache.get(path);
  const found =
    cached && cached.size === file.size && cached.mtimeMs === file.mtimeMs
      ? cached.found
      : await readOnnxInterface(path);
  onnxCache.set(path, { ...file, found });
  if ('problem' in found) throw new Error(`${path}: ${found.problem}`);
  const rank = (dims: OnnxValueInfo['dims']): number | undefined => dims?.length;
  if (rank(found.input) !== 4 || rank(found.output) !== 4) {
    throw new Error(
      `${path}: its input and output have ${rank(found.input) ?? 'no'} and ${rank(found.output) ?? 'no'} dimensions; a model takes and gives images (4: batch, height, width, channels)`,
    );
  }
  const inChannels = card.channels + (card.noiseLevelInput ? 1 : 0);
  const takes = found.input![3];
  const gives = found.output![3];
  if (takes !== inChannels || gives !== card.channels) {
    throw new Error(
      `${path}: takes ${takes} channels and gives ${gives}; the card says ${inChannels} and ${card.channels} (a wrong card, or a model for other photos)`,
    );
  }
}
