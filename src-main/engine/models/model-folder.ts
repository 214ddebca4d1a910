// A model folder on disk: model.json + weights.bin (tfjs layers), model.onnx (exported here) and
// card.json (ModelCard). The trainer calls saveModelFolder(); the registry and runtime read back.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ModelCard } from '../../../src-shared/schemas/models.js';
import { exportToOnnx } from '../onnx/onnx-export.js';
import { writeFileAtomic } from '../io/atomic-write.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const MODEL_ONNX = 'model.onnx';
/** The int8 (QDQ) model `clearframe quantize` writes, used on the CPU when card.quantized passes the guard. */
export const MODEL_INT8_ONNX = 'model.int8.onnx';
export const CARD_JSON = 'card.json';
/** A training run's folder is also its model folder; its checkpoints live in this subfolder. */
export const RUN_CHECKPOINTS = 'checkpoints';

/**
 * Writes `model` as a complete model folder in `dir` (created if needed; files replaced atomically):
 * the tfjs layers model, its ONNX export and the validated card. Returns the card as written.
 */
export async function saveModelFolder(model: tfl.LayersModel, card: ModelCard, dir: string): Promise<ModelCard> {
  const parsed = ModelCard.parse(card);
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tfl.version_layers}`,
        convertedBy: 'clearframe',
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFileAtomic(join(dir, WEIGHTS_BIN), new Uint8Array(weightData));
      await writeFileAtomic(join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weightData.byteLength } };
    }),
  );
  await writeFileAtomic(join(dir, MODEL_ONNX), exportToOnnx(model));
  await writeFileAtomic(join(dir, CARD_JSON), JSON.stringify(parsed, null, 2) + '\n');
  return parsed;
}

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
    throw new Error(`${join(dir, CARD_JSON)}: not valid JSON (${(error as Error).message})`);
  }
  const result = ModelCard.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${join(dir, CARD_JSON)}: ${issue ? `${issue.path.join('.') || 'card'}: ${issue.message}` : 'invalid card'}`);
  }
  return result.data;
}

/** Loads the tfjs layers model of a folder (Node has no file:// loader without tfjs-node). */
export async function loadLayersModelFromFolder(dir: string): Promise<tfl.LayersModel> {
  const modelJson = JSON.parse(await readFile(join(dir, MODEL_JSON), 'utf8')) as tf.io.ModelJSON;
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs = manifest.flatMap((group) => group.weights);
    const buffers = await Promise.all(manifest.flatMap((group) => group.paths).map((p) => readFile(join(dir, p))));
    const joined = Buffer.concat(buffers);
    return [specs, joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength)];
  });
  return tfl.loadLayersModel(tf.io.fromMemory(artifacts));
}
