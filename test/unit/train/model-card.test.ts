// The card a run writes (train/model-card.ts): its words and facts come from the recipe and the
// run's position, and a model scoring below its noisy input carries a warning.
import { describe, expect, it } from 'vitest';
import { TrainConfig } from '../../../src-shared/schemas/train.js';
import type { RunPosition } from '../../../src-main/engine/contract/checkpoint.js';
import { qualityWarning, trainedModelCard } from '../../../src-main/engine/train/model-card.js';

const config = TrainConfig.parse({
  data: '/photos/birds',
  out: '/runs/My Birds',
  arch: 'dcae-res-nl',
  channels: 3,
  patch: 64,
  batch: 16,
  lr: 0.001,
  noise: { type: 'gaussian-range', sigmaMin: 5, sigmaMax: 40 },
  command: 'clearframe train --data /photos/birds --out /runs/My Birds',
});
const position: RunPosition = {
  config,
  step: 400,
  epoch: 2,
  epochStep: 0,
  rngPosition: 1,
  patchesSeen: 6400,
  wallTimeSeconds: 123.4,
  epochsWithoutImprovement: 0,
  lastVal: { psnr: 31.2, ssim: 0.88, noisyPsnr: 24.6 },
  startVal: { psnr: 30.1, ssim: 0.85, noisyPsnr: 24.6 },
  backend: 'onnxruntime-cpu',
};

describe('trainedModelCard', () => {
  it('records the recipe, the score and the start in the words the Models view shows', () => {
    const card = trainedModelCard(config, position, { params: 1000, flopsPerPixel: 2000 }, 'birds (held out)', 6, {
      id: 'clearframe-photo',
      name: 'Clearframe photo',
    });
    expect(card).toMatchObject({
      id: 'my-birds',
      name: 'my-birds',
      architecture: 'dcae-res-nl',
      channels: 3,
      noiseLevelInput: true,
      trainingNoise: { type: 'gaussian-range', sigmaMin: 5, sigmaMax: 40 },
      trainingData: 'birds',
      steps: 400,
      wallTimeSeconds: 123,
      command: 'clearframe train --data <data> --out <run>',
      metrics: [{ dataset: 'birds (held out)', sigma: 25, psnr: 31.2, ssim: 0.88, noisyPsnr: 24.6, images: 6 }],
      startedFrom: {
        id: 'clearframe-photo',
        name: 'Clearframe photo',
        dataset: 'birds (held out)',
        sigma: 25,
        psnr: 30.1,
        ssim: 0.85,
      },
      description:
        'Removes grain-like noise from light to very strong (σ 5–40) from colour photos. Trained on your photos in “birds”.',
      details:
        'Trained by clearframe train: dcae-res-nl, RGB, 64-px patches, batch 16, learning rate 0.001 (cosine), MSE loss. ' +
        'Validation on 6 centre crops of 128 px at σ 25; BatchNorm statistics recalibrated on training patches before each validation and export.',
    });
    expect(card.warning).toBeUndefined();
  });

  it('warns when the model scores no better than its noisy input', () => {
    const worse = trainedModelCard(
      { ...config, noise: { type: 'salt-pepper', density: 0.1 } },
      { ...position, lastVal: { psnr: 24, ssim: 0.7, noisyPsnr: 24.6 } },
      { params: 1, flopsPerPixel: 1 },
      'val',
    );
    expect(worse.description).toMatch(/^Removes scattered black and white specks from colour photos/);
    expect(worse.warning).toBe(qualityWarning({ psnr: 24, noisyPsnr: 24.6 }));
    expect(worse.warning).toMatch(/scored 24\.0 dB, below the 24\.6 dB of the noisy input/);
  });
});
