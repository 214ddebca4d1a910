// The trainer draws the next batch while the gradient of the current one runs (trainer.ts:
// drawAhead). A checkpoint must still store the generator where the stepped batches left it, not
// past the batch drawn ahead: a run stopped and resumed then steps on the very batches an
// uninterrupted run steps on. Real ONNX Runtime training (one thread, so the arithmetic repeats
// exactly) of the shipped grey model on generated images; the training-mode loss of a step depends
// only on the weights, Adam's state and the batch, so equal losses after the resume mean equal batches.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainConfig } from '../../src-shared/schemas/train.js';
import { runTraining } from '../../src-main/engine/train/trainer.js';
import { repoRoot } from '../helpers/images.js';
import { writePhotoLikeFolder } from '../helpers/training-images.js';

let tmp: string;
let data: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'clearframe-draw-ahead-'));
  data = path.join(tmp, 'photos');
  await writePhotoLikeFolder(data, 4, 64, 5);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const config = (out: string): TrainConfig =>
  TrainConfig.parse({
    data,
    init: path.join(repoRoot, 'assets/models/clearframe-grey'),
    arch: 'dcae-res-nl',
    channels: 1,
    noise: { type: 'gaussian-range', sigmaMin: 5, sigmaMax: 50 },
    patch: 32,
    batch: 4,
    epochs: 1,
    stepsPerEpoch: 10,
    lr: 1e-4,
    lrSchedule: 'constant',
    valImages: 1,
    valCrop: 32,
    checkpointEvery: 0,
    workers: 1,
    runtime: 'onnxruntime',
    int8: false,
    out,
  });

/** Each step's loss, by step; the run is stopped once step `stopAt` has been reported. */
async function losses(out: string, stopAt?: number): Promise<Map<number, number>> {
  const seen = new Map<number, number>();
  const controller = new AbortController();
  await runTraining(config(out), {
    runId: 'draw-ahead',
    signal: controller.signal,
    onProgress: (p) => {
      if (p.phase !== 'training' || p.loss === undefined) return;
      seen.set(p.step, p.loss);
      if (p.step === stopAt) controller.abort();
    },
  });
  return seen;
}

describe('drawing the next batch ahead', () => {
  it('a run stopped at step 4 and resumed steps on the same batches as one that was never stopped', async () => {
    const whole = await losses(path.join(tmp, 'whole'));
    const stoppedOut = path.join(tmp, 'stopped');
    const first = await losses(stoppedOut, 4);
    expect([...first.keys()]).toEqual([1, 2, 3, 4]);
    const resumed = await losses(stoppedOut);
    expect([...resumed.keys()]).toEqual([5, 6, 7, 8, 9, 10]);
    for (const step of [1, 2, 3, 4]) expect(first.get(step)).toBe(whole.get(step));
    for (const step of [5, 6, 7, 8, 9, 10]) expect(resumed.get(step)).toBe(whole.get(step));
  }, 90_000);
});
