// A model folder's file names and its card, read with plain fs + JSON: what the main process needs
// to list, import and delete models without loading tfjs or ONNX Runtime (model-folder.ts writes
// and loads the networks themselves).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelCard } from '../../../src-shared/schemas/models.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const MODEL_ONNX = 'model.onnx';
/** The int8 (QDQ) model `clearframe quantize` writes, used on the CPU when card.quantized passes the guard. */
export const MODEL_INT8_ONNX = 'model.int8.onnx';
export const CARD_JSON = 'card.json';
/** A training run's folder is also its model folder; its checkpoints live in this subfolder. */
export const RUN_CHECKPOINTS = 'checkpoints';

/** Reads and validates card.json; the error names the folder and what is wrong. */
export async function readCard(dir: string): Promise<ModelCard> {
  let raw: string;
  try {
    raw = await readFile(join(dir, CARD_JSON), 'utf8');
  } catch {
    throw new Error(`${dir}: no readable ${CARD_JSON}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new Error(`${join(dir, CARD_JSON)}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const result = ModelCard.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${join(dir, CARD_JSON)}: ${issue ? `${issue.path.join('.') || 'card'}: ${issue.message}` : 'invalid card'}`);
  }
  return result.data;
}
