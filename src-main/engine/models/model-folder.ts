// A model folder on disk: model.json + weights.bin (tfjs layers), model.onnx (exported here) and
// card.json (ModelCard). The trainer calls saveModelFolder(); the registry and runtime read back.
// The file names and the card reader live in contract/model-files.ts (no tfjs), re-exported here.
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ModelCard } from '../../../src-shared/schemas/models.js';
import { exportToOnnx } from '../onnx/onnx-export.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import {
  CARD_JSON,
  checkModelFile,
  maxNetworkBytes,
  MODEL_JSON,
  MODEL_ONNX,
  WEIGHTS_BIN,
} from '../contract/model-files.js';

export {
  CARD_JSON,
  MODEL_INT8_ONNX,
  MODEL_JSON,
  MODEL_ONNX,
  RUN_CHECKPOINTS,
  WEIGHTS_BIN,
  readCard,
} from '../contract/model-files.js';

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
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weightData.byteLength,
        },
      };
    }),
  );
  await writeFileAtomic(join(dir, MODEL_ONNX), exportToOnnx(model));
  await writeFileAtomic(join(dir, CARD_JSON), JSON.stringify(parsed, null, 2) + '\n');
  return parsed;
}

/** Loads the tfjs layers model of a folder (Node has no file:// loader without tfjs-node). */
export async function loadLayersModelFromFolder(
  dir: string,
  card: Pick<ModelCard, 'params'> = {},
): Promise<tfl.LayersModel> {
  const maxBytes = maxNetworkBytes(card);
  await checkModelFile(dir, MODEL_JSON, maxBytes);
  const modelJson = JSON.parse(await readFile(join(dir, MODEL_JSON), 'utf8')) as tf.io.ModelJSON;
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs = manifest.flatMap((group) => group.weights);
    // The manifest names the weight files: each a plain name beside model.json, checked like it.
    const read = async (name: string): Promise<Buffer> => {
      if (name !== basename(name) || (await checkModelFile(dir, name, maxBytes)) === undefined)
        throw new Error(`${join(dir, MODEL_JSON)}: names a weights file that is not in its folder`);
      return readFile(join(dir, name));
    };
    const buffers = await Promise.all(manifest.flatMap((group) => group.paths).map(read));
    const joined = Buffer.concat(buffers);
    return [specs, joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength)];
  });
  return tfl.loadLayersModel(tf.io.fromMemory(artifacts));
}
