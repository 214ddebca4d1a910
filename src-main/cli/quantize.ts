// `clearframe quantize --model ID|PATH`: writes model.int8.onnx beside the model's model.onnx,
// calibrated on its training images with the noise it was trained on, and records the int8 and
// float PSNR on its primary test set (the card's primaryMetric, else its first metric; a real-noise
// set such as polyu-dev is measured with the level on Auto) in card.json. The int8 file is kept, and later preferred on the CPU, only when it is within
// INT8_PSNR_TOLERANCE_DB of the float model; otherwise the float model keeps running.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { guardMetric, INT8_PSNR_TOLERANCE_DB } from '../../src-shared/schemas/models.js';
import { quantizeModelFolder } from '../engine/models/quantize-model.js';
import { defaultRegistryDirs } from '../settings/model-dirs.js';
import { ModelRegistry } from '../engine/models/registry.js';
import { calibrationNoise } from '../engine/train/calibration-noise.js';
import { parseCommand, UsageError } from './command.js';

export const QUANTIZE_USAGE =
  'clearframe quantize --model ID|PATH [--test DIR] [--sigma N] [--calibration DIR (default DATA-ROOT/<training folder>)] [--patches 256] [--data-root DIR] [--json]\n' +
  "  int8 model (QDQ) beside model.onnx; kept when its PSNR on --test (default: DATA-ROOT/<the card's primary test set, else its first>,\n" +
  '  DATA-ROOT ../shared/data; a real-noise set is measured on its noisy/clean pairs with the level on Auto)\n' +
  `  is within ${INT8_PSNR_TOLERANCE_DB} dB of the float model's`;

export async function quantizeCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, QUANTIZE_USAGE, {
    options: {
      model: { type: 'string' },
      test: { type: 'string' },
      sigma: { type: 'string' },
      calibration: { type: 'string' },
      patches: { type: 'string' },
      'data-root': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (!parsed) return 0;
  const { values } = parsed;
  if (!values.model) throw new UsageError('--model is required');
  const summary = await new ModelRegistry(defaultRegistryDirs()).resolve(values.model, 1);
  const headline = guardMetric(summary.card);
  const realNoise = values.test === undefined && headline?.realNoise === true;
  const dataRoot = values['data-root'] ?? '../shared/data';
  const testSet = values.test ?? (headline ? resolve(dataRoot, headline.dataset) : undefined);
  // The card names its training folder, not its path: found under the data root like the test set.
  const calibration = values.calibration ?? resolve(dataRoot, summary.card.trainingData);
  if (!testSet || !existsSync(testSet))
    throw new UsageError(`no test set: pass --test DIR${testSet ? ` (${testSet} does not exist)` : ''}`);
  const sigma = Number(values.sigma ?? (values.test ? 25 : (headline?.sigma ?? 25)));
  const patches = values.patches === undefined ? undefined : Number(values.patches);
  const noise = calibrationNoise(summary.card.trainingNoise);
  if (!Number.isFinite(sigma) || sigma < 0 || (patches !== undefined && !(patches >= 1)))
    throw new UsageError('--sigma and --patches must be positive numbers');
  const started = performance.now();
  const result = await quantizeModelFolder(summary.folder, {
    testSet,
    sigma,
    ...(realNoise ? { realNoise } : {}),
    calibration,
    calibrationOptions: { ...(patches ? { patches } : {}), ...(noise ? { noise } : {}) },
  });
  const q = result.quantized;
  const seconds = (performance.now() - started) / 1000;
  if (values.json) {
    console.log(
      JSON.stringify({ model: summary.card.id, folder: summary.folder, accepted: result.accepted, seconds, ...q }),
    );
  } else {
    console.log(
      `${summary.card.id}: int8 ${q.psnr.toFixed(3)} dB, float ${q.floatPsnr.toFixed(3)} dB on ${q.dataset} ${q.realNoise ? 'real noise, level Auto' : `σ${q.sigma}`} (${q.images} images): ` +
        (result.accepted
          ? `kept ${q.file}`
          : `more than ${INT8_PSNR_TOLERANCE_DB} dB below float, ${q.file} not kept; the float model runs`) +
        ` (${seconds.toFixed(0)} s)`,
    );
  }
  return result.accepted ? 0 : 1;
}
