// A camera run ends by measuring the model's own Auto floor (train/auto-floor.ts) on held-out photos
// with the camera's fitted noise and keeps it in the card; a run on other noise keeps the app's
// floor. Real ONNX Runtime fine-tuning of the shipped photo model, a few steps, on generated images.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainConfig, type TrainProgress } from '../../src-shared/schemas/train.js';
import { readCard } from '../../src-main/engine/models/model-folder.js';
import { FLOOR_LEVELS } from '../../src-main/engine/train/auto-floor.js';
import { runTraining } from '../../src-main/engine/train/trainer.js';
import { repoRoot } from '../helpers/images.js';
import { TEST_CAMERA_NOISE } from '../helpers/train-recipes.js';
import { writePhotoLikeFolder } from '../helpers/training-images.js';

let tmp: string;
let data: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'clearframe-camera-floor-'));
  data = path.join(tmp, 'photos');
  await writePhotoLikeFolder(data, 6, 96, 21);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const run = async (name: string, noise: Partial<TrainConfig>) => {
  const out = path.join(tmp, name);
  const messages: string[] = [];
  await runTraining(
    TrainConfig.parse({
      data,
      init: path.join(repoRoot, 'assets/models/clearframe-photo'),
      arch: 'dcae-res-nl',
      channels: 3,
      patch: 32,
      batch: 4,
      epochs: 1,
      stepsPerEpoch: 3,
      lr: 1e-5,
      valImages: 1,
      valCrop: 64,
      checkpointEvery: 0,
      workers: 1,
      runtime: 'onnxruntime',
      int8: false,
      out,
      ...noise,
    }),
    { runId: name, onProgress: (p: TrainProgress) => p.message && messages.push(p.message) },
  );
  return { card: await readCard(out), messages };
};

describe('a camera run’s Auto floor', () => {
  it('is measured at the end of a run on the camera’s fitted noise and kept in the card', async () => {
    const { card, messages } = await run('camera', {
      noise: TEST_CAMERA_NOISE,
      valNoise: TEST_CAMERA_NOISE,
      valSigma: 3,
    });
    expect(card.autoFloor).toBeGreaterThanOrEqual(FLOOR_LEVELS[0]);
    expect(card.autoFloor).toBeLessThanOrEqual(FLOOR_LEVELS.at(-1)!);
    expect(card.details).toContain(`told at least level ${card.autoFloor}`);
    expect(messages).toContain('Finding the noise level that suits the camera’s noise best…');
  }, 180_000);

  it('is not measured for a run on other noise: Auto keeps the app’s floor', async () => {
    const { card, messages } = await run('gaussian', { noise: { type: 'gaussian-range', sigmaMin: 5, sigmaMax: 30 } });
    expect(card.autoFloor).toBeUndefined();
    expect(messages.some((m) => m.startsWith('Finding the noise level'))).toBe(false);
  }, 180_000);
});
