// Turns a run's latest checkpoint into a model folder (tfjs + ONNX + card) while the run may go on,
// and optionally measures the model on whole images of a test set (e.g. BSD68 at σ 25) through the
// same ONNX runtime and tiling the app uses, by the quality benchmark's protocol, recording the
// figures in the card. With a test set it also quantises the model to int8 (model.int8.onnx,
// calibrated on the run's training images), kept only when it passes the quality guard on that set.
import path from 'node:path';
import { EngineError } from '../contract/engine-error.js';
import { ModelCard, type Metric } from '../../../src-shared/schemas/models.js';
import { EVAL_SEED, evaluateModel } from '../infer/evaluate-model.js';
import { createOnnxRuntime } from '../infer/runtime.js';
import { quantizeModelFolder } from '../models/quantize-model.js';
import { calibrationNoise } from './calibration-noise.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { expandImageArgs } from '../io/image-args.js';
import { CARD_JSON, MODEL_ONNX } from '../models/model-folder.js';
import { readLatestCheckpoint } from '../contract/checkpoint.js';
import { assertModelOutFolder } from '../contract/out-folder.js';
import { checkpointDir, exportModel, recalibratedWeights } from './trainer.js';
import { qualityWarning } from './model-card.js';

export interface ExportOptions {
  /** Folder of whole test images to measure on, with seeded Gaussian noise of `evalSigma`. */
  evalData?: string;
  evalSigma?: number;
  modelId?: string;
  modelName?: string;
  /** Skip the int8 model (it costs a calibration and a second pass over the test set). */
  noInt8?: boolean;
}

/**
 * Mean PSNR/SSIM of the model folder's ONNX model over every image of `folder` at σ, by the
 * benchmark's protocol (`evaluateModel`: float noise, neither clipped nor rounded, seed
 * EVAL_SEED), so a card's figure is the one `npm run bench:quality` reproduces.
 */
export async function measureOnDataset(
  modelDir: string,
  card: ModelCard,
  folder: string,
  sigma: number,
): Promise<Metric> {
  const { files, missing } = await expandImageArgs([folder]);
  if (missing.length > 0) throw new EngineError('not-found', `Test set ${folder} does not exist`, folder);
  if (files.length === 0) throw new EngineError('invalid-request', `Test set ${folder} holds no images`, folder);
  const runtime = await createOnnxRuntime(path.join(modelDir, MODEL_ONNX));
  try {
    const result = await evaluateModel({ card, runtime }, files, { sigma, seed: EVAL_SEED });
    return {
      dataset: path.basename(folder),
      sigma,
      psnr: result.psnr,
      ssim: result.ssim,
      noisyPsnr: result.noisyPsnr,
      images: files.length,
    };
  } finally {
    await runtime.dispose();
  }
}

export async function exportRun(runDir: string, outDir: string, options: ExportOptions = {}): Promise<ModelCard> {
  await assertModelOutFolder(outDir); // never over a model, or anything else, already there
  const checkpoint = await readLatestCheckpoint(checkpointDir(runDir));
  if (!checkpoint) throw new EngineError('not-found', `No checkpoint in ${checkpointDir(runDir)}`, runDir);
  const config = {
    ...checkpoint.position.config,
    ...(options.modelId ? { modelId: options.modelId } : {}),
    ...(options.modelName ? { modelName: options.modelName } : {}),
  };
  const valDataset = config.val ? path.basename(config.val) : `${path.basename(config.data)} (held out)`;
  const weights = await recalibratedWeights(checkpoint.position, checkpoint.state);
  const card = await exportModel(config, checkpoint.position, weights, outDir, valDataset);
  if (!options.evalData) return card;
  const metric = await measureOnDataset(outDir, card, options.evalData, options.evalSigma ?? 25);
  // The test set's figure, on whole images, decides over the validation crops'.
  const { warning: _validationWarning, ...rest } = card;
  const warning = qualityWarning(metric);
  const measured = ModelCard.parse({ ...rest, metrics: [metric, ...card.metrics], ...(warning ? { warning } : {}) });
  await writeFileAtomic(path.join(outDir, CARD_JSON), JSON.stringify(measured, null, 2));
  if (options.noInt8) return measured;
  // Calibrated on the run's own training folder: the card names only the folder, not its path.
  const noise = calibrationNoise(config.noise);
  return (
    await quantizeModelFolder(outDir, {
      testSet: options.evalData,
      sigma: metric.sigma,
      calibration: config.data,
      ...(noise ? { calibrationOptions: { noise } } : {}),
    })
  ).card;
}
