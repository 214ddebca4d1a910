// Real training on a Train400 subset: the trainer must learn (validation PSNR clearly above the
// noisy input's), stop with a checkpoint and resume from exactly that step, and export a model folder
// whose card figures are the quality benchmark's. (How a dataset folder is read: test/integration/train-dataset.test.ts.)
import { mkdtemp, readFile, readdir, rm, symlink, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainConfig, type TrainProgress } from '../../src-shared/schemas/train.js';
import { readLatestCheckpoint } from '../../src-main/engine/contract/checkpoint.js';
import { checkpointDir, runTraining } from '../../src-main/engine/train/trainer.js';
import { exportRun, measureOnDataset } from '../../src-main/engine/train/export-run.js';
import { EVAL_SEED, evaluateModel } from '../../src-main/engine/infer/evaluate-model.js';
import { createOnnxRuntime } from '../../src-main/engine/infer/runtime.js';
import { GREY_GAUSSIAN_RECIPE } from '../helpers/train-recipes.js';

const train400 = path.resolve(import.meta.dirname, '../../../shared/data/train400');
const bsd68 = path.resolve(import.meta.dirname, '../../../shared/data/bsd68');
const set12 = path.resolve(import.meta.dirname, '../../../shared/data/set12');
let tmp: string;
let subset: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'clearframe-train-'));
  subset = path.join(tmp, 'train400-subset');
  await mkdir(subset);
  const names = (await readdir(train400))
    .filter((n) => n.endsWith('.png'))
    .sort()
    .slice(0, 40);
  await Promise.all(names.map((n) => symlink(path.join(train400, n), path.join(subset, n))));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('training on Train400', () => {
  it.each([
    { runtime: 'onnxruntime' as const, backend: 'onnxruntime-cpu' },
    { runtime: 'tfjs' as const, backend: 'wasm' },
  ])(
    'learns on $runtime: validation PSNR rises clearly above the noisy input, and exports a model folder',
    async ({ runtime, backend }) => {
      const out = path.join(tmp, `learn-${runtime}`);
      const events: TrainProgress[] = [];
      const config = TrainConfig.parse({
        ...GREY_GAUSSIAN_RECIPE,
        data: subset,
        arch: 'dcae-res',
        patch: 32,
        batch: 8,
        epochs: 2,
        stepsPerEpoch: 15,
        lr: 2e-3,
        lrSchedule: 'constant',
        valFraction: 0.1,
        valImages: 3,
        valCrop: 48,
        workers: 2,
        runtime,
        int8: false,
        out,
      });
      const result = await runTraining(config, { runId: 'learn', onProgress: (p) => events.push(p) });
      expect(result.phase).toBe('done');
      const validations = events.filter((e) => e.preview);
      expect(validations.map((v) => v.step)).toEqual([0, 15, 25, 30]); // the start, early every 25 steps, each epoch's end
      const last = validations.at(-1)!;
      expect(last.valPsnr! - last.valNoisyPsnr!).toBeGreaterThan(2);
      expect(last.backend).toBe(backend);
      expect(last.workers).toBe(2);
      expect(Buffer.from(last.preview!.denoised, 'base64').subarray(1, 4).toString()).toBe('PNG');
      const card = JSON.parse(await readFile(path.join(out, 'card.json'), 'utf8'));
      // The card holds the best validation's model, written at that validation's step.
      const bestStep = validations.find((v) => v.valPsnr === last.bestValPsnr)!.step;
      expect(card).toMatchObject({
        architecture: 'dcae-res',
        output: 'noise',
        steps: bestStep,
        patchesSeen: bestStep * 8,
        backend,
      });
      // The card holds the best validation's model (at step 25 or 30 here).
      expect(card.metrics[0].psnr).toBeCloseTo(last.bestValPsnr!, 6);
      expect((await readdir(out)).sort()).toEqual([
        'card.json',
        'checkpoints',
        'model.json',
        'model.onnx',
        'weights.bin',
      ]);
    },
    300_000,
  );

  it("export --eval writes the quality benchmark's figure in the card: the same noise, the same numbers", async () => {
    // Uses the ONNX Runtime run the test above left behind.
    const testSet = path.join(tmp, 'bsd68-two');
    await mkdir(testSet);
    const names = (await readdir(bsd68))
      .filter((n) => n.endsWith('.png'))
      .sort()
      .slice(0, 2);
    await Promise.all(names.map((n) => symlink(path.join(bsd68, n), path.join(testSet, n))));
    const modelDir = path.join(tmp, 'exported');
    const card = await exportRun(path.join(tmp, 'learn-onnxruntime'), modelDir, { evalData: testSet, evalSigma: 25 });
    expect(card.metrics[0]).toMatchObject({ dataset: 'bsd68-two', sigma: 25 });
    const runtime = await createOnnxRuntime(path.join(modelDir, 'model.onnx'));
    try {
      const bench = await evaluateModel(
        { card, runtime },
        names.map((n) => path.join(testSet, n)),
        { sigma: 25, seed: EVAL_SEED },
      );
      expect(card.metrics[0]!.psnr).toBeCloseTo(bench.psnr, 6);
      expect(card.metrics[0]!.noisyPsnr).toBeCloseTo(bench.noisyPsnr, 6);
      // Float noise, not clipped to 0..1: the noisy input sits at 20·log10(255/σ).
      expect(Math.abs(bench.noisyPsnr - 20 * Math.log10(255 / 25))).toBeLessThan(0.1);
    } finally {
      await runtime.dispose();
    }
  }, 120_000);

  it('stops with a checkpoint and resumes from its step, RNG position and optimizer state, on the other engine', async () => {
    const out = path.join(tmp, 'resume');
    const config = TrainConfig.parse({
      ...GREY_GAUSSIAN_RECIPE,
      data: subset,
      arch: 'dcae-res-nl',
      noise: { type: 'gaussian-range', sigmaMin: 0, sigmaMax: 50 },
      patch: 16,
      batch: 4,
      epochs: 2,
      stepsPerEpoch: 5,
      checkpointEvery: 0,
      valImages: 2,
      valCrop: 32,
      workers: 1,
      out,
    });
    const controller = new AbortController();
    const first = await runTraining(
      { ...config, runtime: 'tfjs' },
      {
        runId: 'a',
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'training' && p.step === 7) controller.abort();
        },
      },
    );
    expect(first.phase).toBe('stopped');
    const saved = await readLatestCheckpoint(checkpointDir(out));
    expect(saved?.position).toMatchObject({ step: 7, epoch: 1, epochStep: 2 });
    expect(saved?.state.optimizer.step).toBe(7);
    const steps: number[] = [];
    const second = await runTraining(
      { ...config, runtime: 'onnxruntime' },
      { runId: 'b', onProgress: (p) => p.phase === 'training' && p.loss !== undefined && steps.push(p.step) },
    );
    expect(second.phase).toBe('done');
    expect(steps).toEqual([8, 9, 10]);
    const card = JSON.parse(await readFile(path.join(out, 'card.json'), 'utf8'));
    expect(card).toMatchObject({
      steps: 10,
      noiseLevelInput: true,
      architecture: 'dcae-res-nl',
      backend: 'wasm then onnxruntime-cpu',
    });
  }, 300_000);
});

/** Set12 σ 25 gain over the noisy input that seeds 1–4 all clear (their lowest: +0.78 dB). */
const SHORT_RUN_FLOOR_DB = 0.5;

describe('a short run of the seed DCAE', () => {
  // 80 steps leave BatchNorm's moving statistics (momentum 0.99) mostly at their initial 0 and 1:
  // before recalibration this exact run measured 14.0 dB on Set12 at σ 25, 6 dB below the noisy
  // input. Recalibrated at validation and export, with the LR warmed up over the first quarter and
  // the initial weights drawn from the run's seed (so the run is repeatable), it measures +2.34 dB
  // with the default seed. Other seeds land elsewhere (seeds 2–4: +0.78, +2.06, +1.85): 640 patches
  // are a sketch of a model, and the card says how it measured. So the floor is one that every
  // measured seed clears, not the default seed's figure: a change that only moves the run to
  // another draw of its random numbers must not fail it, a run that stops learning must.
  it('exports a model that is better than its noisy input on Set12 at σ 25, with no warning on its card', async () => {
    const out = path.join(tmp, 'short-dcae');
    const config = TrainConfig.parse({
      ...GREY_GAUSSIAN_RECIPE,
      data: subset,
      arch: 'dcae',
      batch: 8,
      epochs: 1,
      stepsPerEpoch: 80,
      workers: 2,
      runtime: 'onnxruntime',
      out,
    });
    const result = await runTraining(config, { runId: 'short' });
    expect(result.phase).toBe('done');
    expect(result.card!.warning).toBeUndefined();
    const metric = await measureOnDataset(out, result.card!, set12, 25);
    expect(metric.images).toBe(12);
    console.info(
      `short seed-DCAE run, seed ${config.seed}: Set12 σ 25 ${(metric.psnr - metric.noisyPsnr!).toFixed(2)} dB over the noisy input`,
    );
    expect(metric.psnr - metric.noisyPsnr!).toBeGreaterThanOrEqual(SHORT_RUN_FLOOR_DB);
  }, 300_000);
});
