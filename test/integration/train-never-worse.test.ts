// A run can only end better than it started: the starting model is validated at step 0 and kept as
// the run's model until a validation beats it, so a run with a learning rate that wrecks the network
// — stopped early or run to its end — still saves a model at least as good as its start on its
// validation photos. Real ONNX Runtime training of the shipped grey model on generated images.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gainOverStart, int8PassesGuard, type ModelCard } from '../../src-shared/schemas/models.js';
import { TrainConfig, type TrainProgress } from '../../src-shared/schemas/train.js';
import { readCard } from '../../src-main/engine/models/model-folder.js';
import { measureOnDataset } from '../../src-main/engine/train/export-run.js';
import { runTraining } from '../../src-main/engine/train/trainer.js';
import { repoRoot } from '../helpers/images.js';
import { writePhotoLikeFolder } from '../helpers/training-images.js';

const start = path.join(repoRoot, 'assets/models/clearframe-grey');
let tmp: string;
let data: string;
let val: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'clearframe-never-worse-'));
  data = path.join(tmp, 'photos');
  val = path.join(tmp, 'validation');
  await writePhotoLikeFolder(data, 4, 64, 1);
  await writePhotoLikeFolder(val, 2, 64, 101);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A fine-tuning run whose learning rate is far too high for a trained network (the app's is 5e-4). */
function badRun(out: string, int8: boolean): TrainConfig {
  return TrainConfig.parse({
    data,
    val,
    init: start,
    arch: 'dcae-res-nl',
    channels: 1,
    noise: { type: 'gaussian', sigma: 25 },
    patch: 32,
    batch: 4,
    epochs: 1,
    stepsPerEpoch: 30,
    lr: 0.05,
    lrSchedule: 'constant',
    valImages: 2,
    valCrop: 64,
    checkpointEvery: 0,
    workers: 1,
    runtime: 'onnxruntime',
    int8,
    out,
  });
}

async function run(config: TrainConfig, stopAtStep?: number) {
  const events: TrainProgress[] = [];
  const controller = new AbortController();
  const result = await runTraining(config, {
    runId: 'bad-lr',
    signal: controller.signal,
    onProgress: (p) => {
      events.push(p);
      if (p.phase === 'training' && p.loss !== undefined && p.step === stopAtStep) controller.abort();
    },
  });
  // Every validation's figures, in order: step 0 first.
  const validations = events
    .filter((e) => e.phase === 'training' && e.preview)
    .map((e) => ({ step: e.step, psnr: e.valPsnr! }));
  const stopped = events.find((e) => e.phase === 'stopped');
  return { result, events, validations, stopped };
}

/** The saved model and the start model, measured alike on the whole validation photos (the app's ONNX runtime). */
async function wholePhotoPsnr(out: string, card: ModelCard): Promise<{ saved: number; start: number }> {
  const saved = await measureOnDataset(out, card, val, 25);
  const original = await measureOnDataset(start, await readCard(start), val, 25);
  return { saved: saved.psnr, start: original.psnr };
}

describe('a run with a learning rate that wrecks the network', () => {
  it('stopped after a few steps, saves its starting model, not the wrecked weights', async () => {
    const out = path.join(tmp, 'stopped');
    const { result, validations, stopped } = await run(badRun(out, false), 3);
    expect(result.phase).toBe('stopped');
    // The start was measured before the first step, and the weights at the Stop were worse than it:
    // saving the last weights would have made the model worse.
    expect(validations[0]!.step).toBe(0);
    const startPsnr = validations[0]!.psnr;
    expect(stopped?.startValPsnr).toBe(startPsnr);
    expect(stopped?.valPsnr).toBeLessThan(startPsnr - 0.5);
    const card = await readCard(out);
    expect(card.steps).toBe(0);
    expect(card.metrics[0]!.psnr).toBeCloseTo(startPsnr, 6);
    expect(card.startedFrom).toMatchObject({ id: 'clearframe-grey', name: 'Clearframe-grey', psnr: startPsnr });
    expect(gainOverStart(card)).toBeCloseTo(0, 6);
    const measured = await wholePhotoPsnr(out, card);
    expect(measured.saved).toBeGreaterThanOrEqual(measured.start - 1e-3);
  }, 60_000);

  it('run to its end, validated at step 0 and every 25 steps, ends with a model at least as good as its start', async () => {
    const out = path.join(tmp, 'done');
    const { result, validations } = await run(badRun(out, true));
    expect(result.phase).toBe('done');
    expect(validations.map((v) => v.step)).toEqual([0, 25, 30]);
    const startPsnr = validations[0]!.psnr;
    expect(Math.min(...validations.slice(1).map((v) => v.psnr))).toBeLessThan(startPsnr);
    const card = JSON.parse(await readFile(path.join(out, 'card.json'), 'utf8')) as ModelCard;
    const best = Math.max(...validations.map((v) => v.psnr));
    expect(card.metrics[0]!.psnr).toBeCloseTo(best, 6);
    expect(gainOverStart(card)!).toBeGreaterThanOrEqual(0);
    const measured = await wholePhotoPsnr(out, card);
    expect(measured.saved).toBeGreaterThanOrEqual(measured.start - 1e-3);
    // Its int8 version was made and guarded on the same validation crops, and is there only when it passed.
    expect(card.quantized).toMatchObject({ file: 'model.int8.onnx', dataset: 'validation', sigma: 25, images: 2 });
    expect(card.quantized!.floatPsnr).toBeCloseTo(card.metrics[0]!.psnr, 3);
    expect(existsSync(path.join(out, 'model.int8.onnx'))).toBe(int8PassesGuard(card.quantized!));
  }, 90_000);
});
