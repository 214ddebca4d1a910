// The card a training run writes beside its model (card.json): what the model is, how it was
// trained and how it scored, in the words the Models view shows, and a warning when it makes photos
// worse. No I/O: the trainer and `clearframe train --export` pass the run's facts in.
import path from 'node:path';
import { noiseStrength } from '../../../src-shared/noise-strength.js';
import type { ModelCard, StartedFrom } from '../../../src-shared/schemas/models.js';
import { modelIdFromName, type TrainConfig } from '../../../src-shared/schemas/train.js';
import { architectureOf } from '../models/architectures.js';
import type { RunPosition } from '../contract/checkpoint.js';
import { portableCommand } from './portable-command.js';

function noiseWords(noise: TrainConfig['noise']): string {
  switch (noise.type) {
    case 'gaussian':
      return `${noiseStrength(noise.sigma)} grain-like noise (σ ${noise.sigma})`;
    case 'gaussian-range':
      return `grain-like noise from ${noiseStrength(noise.sigmaMin)} to ${noiseStrength(noise.sigmaMax)} (σ ${noise.sigmaMin}–${noise.sigmaMax})`;
    case 'salt-pepper':
      return 'scattered black and white specks';
    case 'camera-profile':
      return `the noise of ${noise.camera ?? 'your camera'}, as profiled from its photos,`;
    default:
      return 'several kinds of noise';
  }
}

/**
 * Plain words when a model is not worth using: its validation PSNR is not above the noisy input's,
 * so it would make photos worse. Undefined for a model that denoises.
 */
export function qualityWarning(
  metric: { psnr: number; noisyPsnr?: number | undefined } | undefined,
): string | undefined {
  if (metric?.noisyPsnr === undefined || metric.psnr > metric.noisyPsnr) return undefined;
  return (
    `This model makes photos worse, not better: in its test it scored ${metric.psnr.toFixed(1)} dB, ` +
    `below the ${metric.noisyPsnr.toFixed(1)} dB of the noisy input. Train it longer or on more photos before using it.`
  );
}

/** What a card records about the architecture, from its entry in the table. */
function architectureFacts(arch: TrainConfig['arch']): Pick<ModelCard, 'output' | 'noiseLevelInput' | 'sizeMultiple'> {
  const { output, noiseLevelInput, sizeMultiple } = architectureOf(arch);
  return { output, noiseLevelInput, sizeMultiple };
}

/** The model a run starts from, as its card names it. */
export type StartModel = Pick<StartedFrom, 'id' | 'name'>;

export function trainedModelCard(
  config: TrainConfig,
  position: RunPosition,
  cost: { params: number; flopsPerPixel: number },
  valDataset: string,
  valImages?: number,
  startModel?: StartModel,
): ModelCard {
  const id = config.modelId ?? modelIdFromName(path.basename(path.resolve(config.out)));
  const noise =
    config.noise.type === 'mixture' ? { type: 'mixture' as const, parts: config.noise.parts } : config.noise;
  const metrics = position.lastVal
    ? [
        {
          dataset: valDataset,
          sigma: config.valSigma,
          psnr: position.lastVal.psnr,
          ssim: position.lastVal.ssim,
          noisyPsnr: position.lastVal.noisyPsnr,
          ...(valImages ? { images: valImages } : {}),
        },
      ]
    : [];
  const warning = qualityWarning(metrics[0]);
  const startedFrom =
    startModel && position.startVal
      ? {
          ...startModel,
          dataset: valDataset,
          sigma: config.valSigma,
          psnr: position.startVal.psnr,
          ssim: position.startVal.ssim,
        }
      : undefined;
  const folder = path.basename(path.resolve(config.data));
  return {
    id,
    name: config.modelName ?? id,
    architecture: config.arch,
    channels: config.channels,
    ...architectureFacts(config.arch),
    trainingNoise: noise,
    patchSize: config.patch,
    trainingData: folder,
    steps: position.step,
    patchesSeen: position.patchesSeen,
    backend: position.backend,
    ...(config.command ? { command: portableCommand(config.command, config) } : {}),
    wallTimeSeconds: Math.round(position.wallTimeSeconds),
    params: cost.params,
    flopsPerPixel: cost.flopsPerPixel,
    metrics,
    ...(startedFrom ? { startedFrom } : {}),
    createdAt: new Date().toISOString(),
    description: `Removes ${noiseWords(config.noise)} from ${config.channels === 1 ? 'black-and-white' : 'colour'} photos. Trained on your photos in “${folder}”.`,
    details:
      `Trained by clearframe train: ${config.arch}, ${config.channels === 1 ? 'grey' : 'RGB'}, ${config.patch}-px patches, batch ${config.batch}, learning rate ${config.lr} (${config.lrSchedule}), ${config.loss.toUpperCase()} loss. ` +
      `Validation on ${valImages ?? config.valImages} centre crops of ${config.valCrop} px ${config.valNoise ? `with ${config.valNoise.camera ?? 'the camera'}’s fitted noise` : `at σ ${config.valSigma}`}; BatchNorm statistics recalibrated on training patches before each validation and export.`,
    ...(warning ? { warning } : {}),
  };
}
