// The training loop: loads the data, starts (or resumes) the gradient workers, steps Adam over
// random noisy patches, validates and checkpoints every epoch (and every N steps), stops early when
// validation PSNR stalls, and exports the model folder with its card. Runs off the UI thread: the
// heavy work is in the gradient workers; this thread only draws patches and averages gradients.
import path from 'node:path';
import '@tensorflow/tfjs-layers';
import { ClearframeError } from '../../../src-shared/contract-core.js';
import type { ModelCard } from '../../../src-shared/schemas/models.js';
import type { TrainConfig, TrainProgress } from '../../../src-shared/schemas/train.js';
import { initBackend, type TfBackendId } from '../backend.js';
import { saveModelFolder } from '../models/model-folder.js';
import { sampleBatch, type BatchSpec } from './batch.js';
import { readLatestCheckpoint, writeCheckpoint, type RunPosition } from './checkpoint.js';
import { holdOut, loadDataset, type ImagePair, type SkippedFile } from './dataset.js';
import { startGradientEngine } from './gradient-engine.js';
import './kernels/register-wasm.js';
import { modelCost } from './model-cost.js';
import { assertTrainOutFolder } from './out-folder.js';
import { SeededRandom } from './rng.js';
import { learningRate } from './schedule.js';
import { TrainableNet, noiseLevelInputOf, outputKindOf } from './trainable-net.js';
import { buildValidationSet, evaluate, toPngBase64, type ValidationSet } from './validation.js';

export interface TrainCallbacks {
  runId: string;
  onProgress?: (progress: TrainProgress) => void;
  /** Aborting checkpoints at once and returns with phase 'stopped'. */
  signal?: AbortSignal;
  /** Backend for the gradient workers (tests); otherwise the ladder decides. */
  backend?: TfBackendId;
}

export interface TrainResult {
  phase: 'done' | 'stopped';
  step: number;
  epoch: number;
  modelFolder?: string;
  card?: ModelCard;
  valPsnr?: number;
  skipped: SkippedFile[];
}

export function checkpointDir(out: string): string {
  return path.join(out, 'checkpoints');
}

const MIN_IMAGES = 2;

async function loadData(config: TrainConfig): Promise<{ train: ImagePair[]; val: ImagePair[]; skipped: SkippedFile[] }> {
  const opts = { channels: config.channels, minSide: config.patch, minImages: config.val ? MIN_IMAGES - 1 : MIN_IMAGES };
  const data = await loadDataset(config.data, opts);
  if (config.val) {
    const val = await loadDataset(config.val, { channels: config.channels, minSide: 16 });
    return { train: data.pairs, val: val.pairs, skipped: [...data.skipped, ...val.skipped] };
  }
  const split = holdOut(data.pairs, config.valFraction);
  return { ...split, skipped: data.skipped };
}

function card(config: TrainConfig, position: RunPosition, cost: { params: number; flopsPerPixel: number }, valDataset: string): ModelCard {
  const id = config.modelId ?? (path.basename(path.resolve(config.out)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'model');
  const noise = config.noise.type === 'mixture' ? { type: 'mixture' as const, parts: config.noise.parts } : config.noise;
  return {
    id,
    name: config.modelName ?? id,
    architecture: config.arch,
    channels: config.channels,
    output: outputKindOf(config.arch),
    noiseLevelInput: noiseLevelInputOf(config.arch),
    sizeMultiple: 4,
    trainingNoise: noise,
    patchSize: config.patch,
    trainingData: config.data,
    steps: position.step,
    patchesSeen: position.patchesSeen,
    backend: position.backend,
    ...(config.command ? { command: config.command } : {}),
    wallTimeSeconds: Math.round(position.wallTimeSeconds),
    params: cost.params,
    flopsPerPixel: cost.flopsPerPixel,
    metrics: position.lastVal
      ? [{ dataset: valDataset, sigma: config.valSigma, psnr: position.lastVal.psnr, ssim: position.lastVal.ssim, noisyPsnr: position.lastVal.noisyPsnr }]
      : [],
    createdAt: new Date().toISOString(),
    description: `Trained by clearframe train (${config.arch}, ${config.channels === 1 ? 'grey' : 'colour'}); validation on centre crops at σ ${config.valSigma}.`,
  };
}

/** Writes the model folder (tfjs + ONNX + card) from a set of weights; answers the card. */
export async function exportModel(config: TrainConfig, position: RunPosition, weights: Float32Array[], dir: string, valDataset: string): Promise<ModelCard> {
  await initBackend();
  const net = new TrainableNet({ arch: config.arch, channels: config.channels, loss: config.loss, weightDecay: 0 });
  try {
    net.setWeights(weights);
    return await saveModelFolder(net.model, card(config, position, modelCost(net.model), valDataset), dir);
  } finally {
    net.dispose();
  }
}

export async function runTraining(config: TrainConfig, callbacks: TrainCallbacks): Promise<TrainResult> {
  const { runId, signal } = callbacks;
  const emit = (p: Omit<TrainProgress, 'runId'>) => callbacks.onProgress?.({ runId, ...p });
  const totalSteps = config.epochs * config.stepsPerEpoch;
  emit({ phase: 'loading', step: 0, totalSteps, epoch: 0 });
  await assertTrainOutFolder(config.out); // before anything is loaded or written

  const data = await loadData(config);
  const noiseLevelInput = noiseLevelInputOf(config.arch);
  const output = outputKindOf(config.arch);
  if (config.noise.type === 'salt-pepper' && noiseLevelInput) {
    throw new ClearframeError('invalid-request', 'dcae-res-nl needs Gaussian noise (its extra input is the Gaussian σ)');
  }
  const valSet: ValidationSet = buildValidationSet(data.val, {
    channels: config.channels,
    sigma: config.valSigma,
    maxImages: config.valImages,
    crop: config.valCrop,
    noiseLevelInput,
    output,
    seed: config.seed,
  });
  const valDataset = config.val ? path.basename(config.val) : `${path.basename(config.data)} (held out)`;
  const ckptDir = checkpointDir(config.out);
  const resumed = await readLatestCheckpoint(ckptDir);
  if (resumed && resumed.position.config.arch !== config.arch) {
    throw new ClearframeError('invalid-request', `The checkpoint in ${ckptDir} is a ${resumed.position.config.arch}, not a ${config.arch}`, ckptDir);
  }
  const spec = { arch: config.arch, channels: config.channels, loss: config.loss, weightDecay: config.weightDecay };
  let fallback: string | undefined;
  const pool = await startGradientEngine(spec, resumed?.state, {
    runtime: config.runtime,
    workers: config.workers,
    shape: [config.batch, config.patch, config.patch, config.channels + (noiseLevelInput ? 1 : 0)],
    ...(callbacks.backend ? { tfBackend: callbacks.backend } : {}),
    onFallback: (reason) => (fallback = reason),
  });
  const position: RunPosition = resumed
    ? { ...resumed.position, config }
    : {
        config,
        step: 0,
        epoch: 0,
        epochStep: 0,
        rngPosition: config.seed,
        patchesSeen: 0,
        wallTimeSeconds: 0,
        epochsWithoutImprovement: 0,
        backend: pool.backend,
      };
  // A run resumed on another engine records both, in order (the card says what trained it).
  const history = position.backend.split(' then ');
  if (history[history.length - 1] !== pool.backend) position.backend = resumed ? `${position.backend} then ${pool.backend}` : pool.backend;
  const rng = new SeededRandom(position.rngPosition);
  const batchSpec: BatchSpec = { batch: config.batch, patch: config.patch, channels: config.channels, noise: config.noise, noiseLevelInput, output };
  const base = { backend: pool.backend, workers: pool.size, totalSteps, skippedFiles: data.skipped };
  if (fallback) emit({ ...base, phase: 'loading', step: position.step, epoch: position.epoch, message: `ONNX Runtime could not train this network, using tfjs: ${fallback}` });

  const save = async () => {
    position.rngPosition = rng.position;
    await writeCheckpoint(ckptDir, position, await pool.state());
  };
  const validate = async () => {
    emit({ ...base, phase: 'validating', step: position.step, epoch: position.epoch });
    const result = await evaluate(valSet, (input, shape) => pool.predict(input, shape), output);
    position.lastVal = { psnr: result.psnr, ssim: result.ssim, noisyPsnr: result.noisyPsnr };
    const first = valSet.crops[0]!;
    const preview = {
      noisy: await toPngBase64(first.noisy, first.side, config.channels),
      denoised: await toPngBase64(result.firstDenoised, first.side, config.channels),
      clean: await toPngBase64(first.clean, first.side, config.channels),
    };
    return { result, preview };
  };

  let sessionStart = performance.now();
  let wallAtSessionStart = position.wallTimeSeconds;
  let stepsThisSession = 0;
  let stopped = false;
  try {
    while (position.epoch < config.epochs && !stopped) {
      while (position.epochStep < config.stepsPerEpoch) {
        if (signal?.aborted) {
          stopped = true;
          break;
        }
        const lr = learningRate(config, position.step);
        const batch = sampleBatch(data.train, batchSpec, rng);
        const loss = await pool.step(batch.input, batch.target, batch.inShape, batch.outShape, lr);
        if (!Number.isFinite(loss)) throw new ClearframeError('internal', `Training diverged at step ${position.step} (loss ${loss}); lower --lr`);
        position.step += 1;
        position.epochStep += 1;
        position.patchesSeen += config.batch;
        stepsThisSession += 1;
        const elapsed = (performance.now() - sessionStart) / 1000;
        position.wallTimeSeconds = wallAtSessionStart + elapsed;
        const patchesPerSecond = (stepsThisSession * config.batch) / elapsed;
        emit({
          ...base,
          phase: 'training',
          step: position.step,
          epoch: position.epoch,
          loss,
          lr,
          patchesPerSecond,
          etaSeconds: ((totalSteps - position.step) * config.batch) / patchesPerSecond,
          ...(position.lastVal ? { valPsnr: position.lastVal.psnr, valSsim: position.lastVal.ssim, valNoisyPsnr: position.lastVal.noisyPsnr } : {}),
          ...(position.bestValPsnr !== undefined ? { bestValPsnr: position.bestValPsnr } : {}),
        });
        if (config.checkpointEvery > 0 && position.step % config.checkpointEvery === 0 && position.epochStep < config.stepsPerEpoch) await save();
      }
      if (stopped) break;
      const { result, preview } = await validate();
      position.epoch += 1;
      position.epochStep = 0;
      if (position.bestValPsnr === undefined || result.psnr > position.bestValPsnr) {
        position.bestValPsnr = result.psnr;
        position.epochsWithoutImprovement = 0;
      } else {
        position.epochsWithoutImprovement += 1;
      }
      await save();
      emit({
        ...base,
        phase: 'training',
        step: position.step,
        epoch: position.epoch,
        valPsnr: result.psnr,
        valSsim: result.ssim,
        valNoisyPsnr: result.noisyPsnr,
        bestValPsnr: position.bestValPsnr,
        preview,
      });
      if (config.patience > 0 && position.epochsWithoutImprovement >= config.patience) {
        emit({ ...base, phase: 'training', step: position.step, epoch: position.epoch, message: `Early stop: no better validation PSNR for ${config.patience} epochs` });
        break;
      }
      // Validation time is not training time: restart the patches/s clock.
      sessionStart = performance.now();
      wallAtSessionStart = position.wallTimeSeconds;
      stepsThisSession = 0;
    }
    if (stopped) {
      await save();
      emit({ ...base, phase: 'stopped', step: position.step, epoch: position.epoch });
      return { phase: 'stopped', step: position.step, epoch: position.epoch, skipped: data.skipped };
    }
    emit({ ...base, phase: 'exporting', step: position.step, epoch: position.epoch });
    const { weights } = await pool.state();
    const modelCard = await exportModel(config, position, weights, config.out, valDataset);
    const lastVal = position.lastVal ? { valPsnr: position.lastVal.psnr, valSsim: position.lastVal.ssim, valNoisyPsnr: position.lastVal.noisyPsnr } : {};
    emit({ ...base, phase: 'done', step: position.step, epoch: position.epoch, modelFolder: config.out, ...lastVal });
    return {
      phase: 'done',
      step: position.step,
      epoch: position.epoch,
      modelFolder: config.out,
      card: modelCard,
      ...(position.lastVal ? { valPsnr: position.lastVal.psnr } : {}),
      skipped: data.skipped,
    };
  } finally {
    await pool.close();
  }
}
