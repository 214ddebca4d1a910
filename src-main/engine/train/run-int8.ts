// The 8-bit version of a run's model, made at the run's end so a fine-tuned model runs as fast on the
// CPU as the shipped ones (a fine-tuned Clearframe-photo without it took 124.6 s where the shipped
// int8 model took 84.4 s on the same photo). Quantised as `clearframe quantize` does (calibrated on
// the run's training photos with its own noise), then guarded on the run's own validation crops: the
// float and the int8 model are measured on the same noisy crops through ONNX Runtime's CPU
// provider, and the int8 file is kept only within INT8_PSNR_TOLERANCE_DB of float (keepInt8IfGuarded).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ModelCard, QuantizedModel } from '../../../src-shared/schemas/models.js';
import type { TrainConfig } from '../../../src-shared/schemas/train.js';
import { createOnnxRuntime } from '../infer/runtime.js';
import { MODEL_INT8_ONNX, MODEL_ONNX } from '../contract/model-files.js';
import { keepInt8IfGuarded, quantizeOnnx, type QuantizeFolderResult } from '../models/quantize-model.js';
import { calibrationNoise } from './calibration-noise.js';
import { evaluate, type ValidationSet } from './validation.js';

/** The speed figure's tile: a quarter of `clearframe quantize`'s 512², so the run's end waits seconds for it, not half a minute. */
const SPEED_TILE = 256;

/** Mean PSNR of an ONNX model (file or bytes) on the validation crops, on the CPU provider. */
async function psnrOnCrops(
  model: string | Uint8Array,
  card: ModelCard,
  valSet: ValidationSet,
  threads: number | undefined,
): Promise<number> {
  const runtime = await createOnnxRuntime(model, { providers: ['cpu'], ...(threads ? { threads } : {}) });
  try {
    const result = await evaluate(
      valSet,
      async (input, shape) => (await runtime.run({ data: input, shape })).data,
      card.output,
    );
    return result.psnr;
  } finally {
    await runtime.dispose();
  }
}

/** Quantises the model folder `folder` (a run's model, `card`) and keeps model.int8.onnx when it passes the guard on `valSet`. */
export async function quantizeRunModel(
  folder: string,
  card: ModelCard,
  config: Pick<TrainConfig, 'data' | 'noise' | 'patch' | 'valSigma' | 'workers'>,
  valSet: ValidationSet,
  valDataset: string,
): Promise<QuantizeFolderResult> {
  const threads = config.workers || undefined;
  const noise = calibrationNoise(config.noise);
  // Calibration patches of clearframe quantize's side where the photos are that large; of the
  // training patches' side (which every training photo has room for) where none is.
  const onnx = new Uint8Array(await readFile(path.join(folder, MODEL_ONNX)));
  const quantize = (patchSize?: number) =>
    quantizeOnnx(onnx, card, config.data, {
      calibrationOptions: { ...(patchSize ? { patchSize } : {}), ...(noise ? { noise } : {}) },
      ...(threads ? { threads } : {}),
    });
  const bytes = await quantize().catch((error: unknown) => {
    if (error instanceof Error && error.message.startsWith('Calibration: no image')) return quantize(config.patch);
    throw error;
  });
  const measured: QuantizedModel = {
    file: MODEL_INT8_ONNX,
    floatPsnr: await psnrOnCrops(path.join(folder, MODEL_ONNX), card, valSet, threads),
    psnr: await psnrOnCrops(bytes, card, valSet, threads),
    dataset: valDataset,
    sigma: config.valSigma,
    images: valSet.crops.length,
    createdAt: new Date().toISOString(),
  };
  return keepInt8IfGuarded(folder, card, bytes, measured, { ...(threads ? { threads } : {}), tile: SPEED_TILE });
}
