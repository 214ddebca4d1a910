// The training loop: loads the data, starts (or resumes) the gradient workers, steps Adam over
// random noisy patches, validates and checkpoints every epoch (and every N steps), stops early when
// validation PSNR stalls, and exports the model folder with its card. Runs off the UI thread: the
// heavy work is in the gradient workers; this thread only draws patches and averages gradients.
import { noiseStrength } from '../../../src-shared/noise-strength.js';
import { access } from 'node:fs/promises';
import path from 'node:path';
import '@tensorflow/tfjs-layers';
import { EngineError } from '../engine-error.js';
import type { ModelCard } from '../../../src-shared/schemas/models.js';
import { modelIdFromName, type TrainConfig, type TrainProgress } from '../../../src-shared/schemas/train.js';
import { initBackend, type TfBackendId } from '../backend.js';
import { CARD_JSON, RUN_CHECKPOINTS, saveModelFolder } from '../models/model-folder.js';
import { sampleBatch, type BatchSpec } from './batch.js';
import { recalibrateBatchNorm } from './batchnorm-recalibration.js';
import { readLatestCheckpoint, writeCheckpoint, type RunPosition } from './checkpoint.js';
import type { PoolState } from './gradient-pool.js';
import { initialStateFrom } from './init-from-model.js';
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
  return path.join(out, RUN_CHECKPOINTS);
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

function noiseWords(noise: TrainConfig['noise']): string {
  switch (noise.type) {
    case 'gaussian':
      return `${noiseStrength(noise.sigma)} grain-like noise (σ ${noise.sigma})`;
    case 'gaussian-range':
      return `grain-like noise from ${noiseStrength(noise.sigmaMin)} to ${noiseStrength(noise.sigmaMax)} (σ ${noise.sigmaMin}–${noise.sigmaMax})`;
    case 'salt-pepper':
      return 'scattered black and white specks';
    default:
      return 'several kinds of noise';
  }
}

/**
 * Plain words when a model is not worth using: its validation PSNR is not above the noisy input's,
 * so it would make photos worse. Undefined for a model that denoises.
 */
export function qualityWarning(metric: { psnr: number; noisyPsnr?: number } | undefined): string | undefined {
  if (metric?.noisyPsnr === undefined || metric.psnr > metric.noisyPsnr) return undefined;
  return (
    `This model makes photos worse, not better: in its test it scored ${metric.psnr.toFixed(1)} dB, ` +
    `below the ${metric.noisyPsnr.toFixed(1)} dB of the noisy input. Train it longer or on more photos before using it.`
  );
}

function card(config: TrainConfig, position: RunPosition, cost: { params: number; flopsPerPixel: number }, valDataset: string, valImages?: number): ModelCard {
  const id = config.modelId ?? modelIdFromName(path.basename(path.resolve(config.out)));
  const noise = config.noise.type === 'mixture' ? { type: 'mixture' as const, parts: config.noise.parts } : config.noise;
  const metrics = position.lastVal
    ? [{ dataset: valDataset, sigma: config.valSigma, psnr: position.lastVal.psnr, ssim: position.lastVal.ssim, noisyPsnr: position.lastVal.noisyPsnr, ...(valImages ? { images: valImages } : {}) }]
    : [];
  const warning = qualityWarning(metrics[0]);
  const folder = path.basename(path.resolve(config.data));
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
    trainingData: folder,
    steps: position.step,
    patchesSeen: position.patchesSeen,
    backend: position.backend,
    ...(config.command ? { command: config.command } : {}),
    wallTimeSeconds: Math.round(position.wallTimeSeconds),
    params: cost.params,
    flopsPerPixel: cost.flopsPerPixel,
    metrics,
    createdAt: new Date().toISOString(),
    description: `Removes ${noiseWords(config.noise)} from ${config.channels === 1 ? 'black-and-white' : 'colour'} photos. Trained on your photos in “${folder}”.`,
    details:
      `Trained by clearframe train: ${config.arch}, ${config.channels === 1 ? 'grey' : 'RGB'}, ${config.patch}-px patches, batch ${config.batch}, learning rate ${config.lr} (${config.lrSchedule}), ${config.loss.toUpperCase()} loss. ` +
      `Validation on ${valImages ?? config.valImages} centre crops of ${config.valCrop} px at σ ${config.valSigma}; BatchNorm statistics recalibrated on training patches before each validation and export.`,
    ...(warning ? { warning } : {}),
  };
}

/** Writes the model folder (tfjs + ONNX + card) from a set of weights; answers the card. */
export async function exportModel(config: TrainConfig, position: RunPosition, weights: Float32Array[], dir: string, valDataset: string, valImages?: number): Promise<ModelCard> {
  await initBackend();
  const net = new TrainableNet({ arch: config.arch, channels: config.channels, loss: config.loss, weightDecay: 0 });
  try {
    net.setWeights(weights);
    return await saveModelFolder(net.model, card(config, position, modelCost(net.model), valDataset, valImages), dir);
  } finally {
    net.dispose();
  }
}

/** A seeded draw of training batches for recalibration, apart from the training stream. */
function recalibrationDraw(train: ImagePair[], spec: BatchSpec, seed: number, step: number): () => ReturnType<typeof sampleBatch> {
  const rng = new SeededRandom((seed ^ 0xb47c4) + step);
  return () => sampleBatch(train, spec, rng);
}

function batchSpecOf(config: TrainConfig): BatchSpec {
  return { batch: config.batch, patch: config.patch, channels: config.channels, noise: config.noise, noiseLevelInput: noiseLevelInputOf(config.arch), output: outputKindOf(config.arch) };
}

/**
 * A checkpoint's weights with BatchNorm statistics recalibrated on the run's training data, for
 * exporting a checkpoint written between validations (mid-epoch, or by a run that crashed before
 * its first one). Networks without BatchNorm answer their weights as they are.
 */
export async function recalibratedWeights(position: RunPosition, state: PoolState): Promise<Float32Array[]> {
  const { config } = position;
  const spec = { arch: config.arch, channels: config.channels, loss: config.loss, weightDecay: config.weightDecay };
  const engine = await startGradientEngine(spec, state, { runtime: config.runtime, workers: config.workers });
  try {
    if (engine.batchNormLayers === 0) return state.weights;
    const { train } = await loadData(config);
    await recalibrateBatchNorm(engine, recalibrationDraw(train, batchSpecOf(config), config.seed, position.step));
    return (await engine.state()).weights;
  } finally {
    await engine.close();
  }
}

function lastValOf(position: RunPosition): Partial<TrainProgress> {
  return position.lastVal ? { valPsnr: position.lastVal.psnr, valSsim: position.lastVal.ssim, valNoisyPsnr: position.lastVal.noisyPsnr } : {};
}

function bestOf(position: RunPosition): Partial<TrainProgress> {
  return position.bestValPsnr !== undefined ? { bestValPsnr: position.bestValPsnr } : {};
}

async function modelFolderExists(dir: string): Promise<boolean> {
  return access(path.join(dir, CARD_JSON)).then(
    () => true,
    () => false,
  );
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
    throw new EngineError('invalid-request', 'dcae-res-nl needs Gaussian noise (its extra input is the Gaussian σ)');
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
    throw new EngineError('invalid-request', `The checkpoint in ${ckptDir} is a ${resumed.position.config.arch}, not a ${config.arch}`, ckptDir);
  }
  const spec = { arch: config.arch, channels: config.channels, loss: config.loss, weightDecay: config.weightDecay };
  let fallback: string | undefined;
  const from = resumed?.state ?? (config.init ? await initialStateFrom(config.init, spec) : undefined);
  const pool = await startGradientEngine(spec, from, {
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
  const batchSpec = batchSpecOf(config);
  const base: Pick<TrainProgress, 'backend' | 'workers' | 'totalSteps' | 'skippedFiles' | 'modelFolder'> = { backend: pool.backend, workers: pool.size, totalSteps, skippedFiles: data.skipped };
  if (fallback) emit({ ...base, phase: 'loading', step: position.step, epoch: position.epoch, message: `ONNX Runtime could not train this network, using tfjs: ${fallback}` });

  const save = async () => {
    position.rngPosition = rng.position;
    await writeCheckpoint(ckptDir, position, await pool.state());
  };
  // Validation measures the model as it would be exported: BatchNorm statistics recalibrated first
  // (a no-op without BatchNorm), on patches from their own seeded stream so the training stream of
  // a resumed run is unchanged.
  const validate = async () => {
    emit({ ...base, phase: 'validating', step: position.step, epoch: position.epoch });
    await recalibrateBatchNorm(pool, recalibrationDraw(data.train, batchSpec, config.seed, position.step));
    stepsSinceValidation = 0;
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

  // The model folder always holds the best validated weights, exported when they are found, so
  // stopping or a crash leaves a usable model behind.
  let bestCard: ModelCard | undefined;
  const exportBest = async () => {
    emit({ ...base, phase: 'exporting', step: position.step, epoch: position.epoch });
    const { weights } = await pool.state();
    bestCard = await exportModel(config, position, weights, config.out, valDataset, valSet.crops.length);
    base.modelFolder = config.out;
  };
  if (resumed && position.bestValPsnr !== undefined && (await modelFolderExists(config.out))) base.modelFolder = config.out;
  const isBest = (psnr: number) => position.bestValPsnr === undefined || psnr > position.bestValPsnr;

  let stepsSinceValidation = position.epochStep;
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
        const batch = await sampleBatch(data.train, batchSpec, rng);
        const loss = await pool.step(batch.input, batch.target, batch.inShape, batch.outShape, lr);
        if (!Number.isFinite(loss)) throw new EngineError('internal', `Training diverged at step ${position.step} (loss ${loss}); lower --lr`);
        position.step += 1;
        position.epochStep += 1;
        position.patchesSeen += config.batch;
        stepsThisSession += 1;
        stepsSinceValidation += 1;
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
      const improved = isBest(result.psnr);
      if (improved) {
        position.bestValPsnr = result.psnr;
        position.epochsWithoutImprovement = 0;
      } else {
        position.epochsWithoutImprovement += 1;
      }
      await save();
      if (improved) await exportBest();
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
      // What was learnt since the last validation is measured too, and kept when it is the best.
      if (stepsSinceValidation > 0) {
        const { result } = await validate();
        if (isBest(result.psnr)) {
          position.bestValPsnr = result.psnr;
          await exportBest();
        }
      }
      await save();
      emit({ ...base, phase: 'stopped', step: position.step, epoch: position.epoch, ...lastValOf(position), ...bestOf(position) });
      return { phase: 'stopped', step: position.step, epoch: position.epoch, ...(bestCard ? { card: bestCard } : {}), ...(base.modelFolder ? { modelFolder: base.modelFolder } : {}), skipped: data.skipped };
    }
    if (!base.modelFolder) await exportBest(); // every epoch validated without a best: cannot happen, but never end without a model
    emit({ ...base, phase: 'done', step: position.step, epoch: position.epoch, modelFolder: config.out, ...lastValOf(position), ...bestOf(position) });
    return {
      phase: 'done',
      step: position.step,
      epoch: position.epoch,
      modelFolder: config.out,
      ...(bestCard ? { card: bestCard } : {}),
      ...(position.bestValPsnr !== undefined ? { valPsnr: position.bestValPsnr } : {}),
      skipped: data.skipped,
    };
  } finally {
    await pool.close();
  }
}
