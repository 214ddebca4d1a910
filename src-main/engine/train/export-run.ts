// Turns a run's latest checkpoint into a model folder (tfjs + ONNX + card) while the run may go on,
// and optionally measures the model on whole images of a test set (e.g. BSD68 at σ 25) through the
// same ONNX runtime and tiling the app uses, recording the figures in the card.
import path from 'node:path';
import { ClearframeError } from '../../../src-shared/contract-core.js';
import { ModelCard, type Metric } from '../../../src-shared/schemas/models.js';
import { denoiseTiled } from '../infer/denoise-tiled.js';
import { createOnnxRuntime } from '../infer/runtime.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { psnr, ssim } from '../metrics.js';
import { CARD_JSON, MODEL_ONNX } from '../models/model-folder.js';
import { readLatestCheckpoint } from './checkpoint.js';
import { loadDataset } from './dataset.js';
import { addGaussian } from './noise.js';
import { extractPatch } from './patches.js';
import { SeededRandom } from './rng.js';
import { checkpointDir, exportModel } from './trainer.js';

export interface ExportOptions {
  /** Whole-image test set to measure on, with seeded Gaussian noise of `evalSigma`. */
  evalData?: string;
  evalSigma?: number;
  modelId?: string;
  modelName?: string;
}

/** Mean PSNR/SSIM of the model folder's ONNX model over every image of `folder` at σ. */
export async function measureOnDataset(modelDir: string, card: ModelCard, folder: string, sigma: number): Promise<Metric> {
  const data = await loadDataset(folder, { channels: card.channels, minSide: card.sizeMultiple });
  const runtime = await createOnnxRuntime(path.join(modelDir, MODEL_ONNX));
  const rng = new SeededRandom(0x7e57 + Math.round(sigma));
  let psnrSum = 0;
  let ssimSum = 0;
  let noisySum = 0;
  try {
    for (const { clean: image } of data.pairs) {
      // The whole image as 0..1 floats.
      const clean = new Float32Array(image.data.length);
      for (let i = 0; i < clean.length; i++) clean[i] = image.data[i]! / 255;
      const noisy = addGaussian(clean, sigma, rng);
      const raster = (d: Float32Array) => ({ width: image.width, height: image.height, channels: image.channels, data: d });
      const denoised = await denoiseTiled({ ...raster(noisy), scale: 1 }, { card, runtime }, { noiseSigma: sigma });
      psnrSum += psnr(raster(denoised.data as Float32Array), raster(clean));
      ssimSum += ssim(raster(denoised.data as Float32Array), raster(clean));
      noisySum += psnr(raster(noisy), raster(clean));
    }
  } finally {
    await runtime.dispose();
  }
  const n = data.pairs.length;
  return { dataset: path.basename(folder), sigma, psnr: psnrSum / n, ssim: ssimSum / n, noisyPsnr: noisySum / n };
}

export async function exportRun(runDir: string, outDir: string, options: ExportOptions = {}): Promise<ModelCard> {
  const checkpoint = await readLatestCheckpoint(checkpointDir(runDir));
  if (!checkpoint) throw new ClearframeError('not-found', `No checkpoint in ${checkpointDir(runDir)}`, runDir);
  const config = { ...checkpoint.position.config, ...(options.modelId ? { modelId: options.modelId } : {}), ...(options.modelName ? { modelName: options.modelName } : {}) };
  const valDataset = config.val ? path.basename(config.val) : `${path.basename(config.data)} (held out)`;
  const card = await exportModel(config, checkpoint.position, checkpoint.state.weights, outDir, valDataset);
  if (!options.evalData) return card;
  const metric = await measureOnDataset(outDir, card, options.evalData, options.evalSigma ?? 25);
  const measured = ModelCard.parse({ ...card, metrics: [metric, ...card.metrics] });
  await writeFileAtomic(path.join(outDir, CARD_JSON), JSON.stringify(measured, null, 2));
  return measured;
}
