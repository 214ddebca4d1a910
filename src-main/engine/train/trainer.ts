// The training loop: loads the data, starts (or resumes) the gradient engine, steps Adam over
// random noisy patches, validates at step 0, early on and every epoch (validation-schedule.ts),
// checkpoints every epoch (and every N steps), stops early when validation PSNR stalls, and keeps the
// best validated weights — the starting point's included — as the model folder with its card.
// runTraining reads as those phases: setUpRun (setup/resume), validateStart, trainStep,
// validateEarly / endEpoch (validate, keep the best, checkpoint), finishStopped / finishDone.
// Runs off the UI thread: the heavy work is in the gradient engine (ONNX
// Runtime's threads or the tfjs workers); this thread draws patches and applies Adam.
import { access } from 'node:fs/promises';
import path from 'node:path';
import '@tensorflow/tfjs-layers';
import { EngineError } from '../contract/engine-error.js';
import type { ModelCard } from '../../../src-shared/schemas/models.js';
import type { TrainConfig, TrainProgress } from '../../../src-shared/schemas/train.js';
import { initBackend, type TfBackendId } from '../infer/tfjs-backend.js';
import { architectureOf, buildArchitecture, inputChannelsOf } from '../models/architectures.js';
import { CARD_JSON, readCard, RUN_CHECKPOINTS, saveModelFolder } from '../models/model-folder.js';
import { sampleBatch, type Batch, type BatchSpec } from './batch.js';
import { recalibrateBatchNorm } from './batchnorm-recalibration.js';
import { readLatestCheckpoint, writeCheckpoint, type RunPosition, type ValScore } from '../contract/checkpoint.js';
import { initialStateFrom } from './init-from-model.js';
import { seededInitialState } from './initial-state.js';
import { holdOut, loadDataset, type ImagePair, type SkippedFile } from './dataset.js';
import { startGradientEngine, type GradientEngine } from './gradient-engine.js';
import { clipsNoise } from './noise.js';
import { modelCost } from './model-cost.js';
import { assertTrainOutFolder } from '../contract/out-folder.js';
import { SeededRandom } from '../util/rng.js';
import { learningRate } from './schedule.js';
import { netSpecOf, setWeightsOf, type TrainingState } from './training-state.js';
import { buildValidationSet, evaluate, toPngBase64, type ValidationSet, type ValidationSpec } from './validation.js';
import { FLOOR_SWEEP, writeAutoFloor } from './auto-floor.js';
import { validatesEarlyAfter } from '../../../src-shared/validation-schedule.js';
import { quantizeRunModel } from './run-int8.js';
import { trainedModelCard, type StartModel } from './model-card.js';

/**
 * The abort reason of a run stopped because its engine is shutting down (TrainRuns.stopCurrent):
 * it checkpoints and keeps its best model as on Stop, but skips the int8 version, which takes seconds
 * the quitting app does not have (`clearframe quantize` makes it later).
 */
export const SHUTDOWN_REASON = 'engine-shutdown';

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

async function loadData(
  config: TrainConfig,
): Promise<{ train: ImagePair[]; val: ImagePair[]; skipped: SkippedFile[] }> {
  const opts = {
    channels: config.channels,
    minSide: config.patch,
    minImages: config.val ? MIN_IMAGES - 1 : MIN_IMAGES,
  };
  const data = await loadDataset(config.data, opts);
  if (config.val) {
    const val = await loadDataset(config.val, { channels: config.channels, minSide: 16 });
    return { train: data.pairs, val: val.pairs, skipped: [...data.skipped, ...val.skipped] };
  }
  const split = holdOut(data.pairs, config.valFraction);
  return { ...split, skipped: data.skipped };
}

/** Writes the model folder (tfjs + ONNX + card) from a set of weights; answers the card. */
export async function exportModel(
  config: TrainConfig,
  position: RunPosition,
  weights: Float32Array[],
  dir: string,
  valDataset: string,
  valImages?: number,
  startModel?: StartModel,
): Promise<ModelCard> {
  await initBackend();
  const model = buildArchitecture(config.arch, config.channels);
  try {
    setWeightsOf(model, weights, config.arch);
    return await saveModelFolder(
      model,
      trainedModelCard(config, position, modelCost(model), valDataset, valImages, startModel),
      dir,
    );
  } finally {
    model.dispose();
  }
}

/** A seeded draw of training batches for recalibration, apart from the training stream. */
function recalibrationDraw(
  train: ImagePair[],
  spec: BatchSpec,
  seed: number,
  step: number,
): () => ReturnType<typeof sampleBatch> {
  const rng = new SeededRandom((seed ^ 0xb47c4) + step);
  return () => sampleBatch(train, spec, rng);
}

function batchSpecOf(config: TrainConfig): BatchSpec {
  const { noiseLevelInput, output } = architectureOf(config.arch);
  return {
    batch: config.batch,
    patch: config.patch,
    channels: config.channels,
    noise: config.noise,
    noiseLevelInput,
    output,
  };
}

/**
 * A checkpoint's weights with BatchNorm statistics recalibrated on the run's training data, for
 * exporting a checkpoint written between validations (mid-epoch, or by a run that crashed before
 * its first one). Networks without BatchNorm answer their weights as they are.
 */
export async function recalibratedWeights(position: RunPosition, state: TrainingState): Promise<Float32Array[]> {
  const { config } = position;
  const engine = await startGradientEngine(netSpecOf(config), state, {
    runtime: config.runtime,
    provider: config.provider,
    workers: config.workers,
  });
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
  return position.lastVal
    ? { valPsnr: position.lastVal.psnr, valSsim: position.lastVal.ssim, valNoisyPsnr: position.lastVal.noisyPsnr }
    : {};
}

function bestOf(position: RunPosition): Partial<TrainProgress> {
  return {
    ...(position.bestValPsnr !== undefined ? { bestValPsnr: position.bestValPsnr } : {}),
    ...(position.startVal ? { startValPsnr: position.startVal.psnr } : {}),
  };
}

/** The --init model's id and name from its card, for the comparison on the new card. */
async function startModelOf(config: TrainConfig): Promise<StartModel | undefined> {
  if (!config.init) return undefined;
  const { id, name } = await readCard(config.init);
  return { id, name };
}

async function modelFolderExists(dir: string): Promise<boolean> {
  return access(path.join(dir, CARD_JSON)).then(
    () => true,
    () => false,
  );
}

/** Everything a run holds while it trains: set up (or resumed) once, then stepped, validated and exported. */
interface Run {
  config: TrainConfig;
  emit: (p: Omit<TrainProgress, 'runId'>) => void;
  signal: AbortSignal | undefined;
  data: { train: ImagePair[]; val: ImagePair[]; skipped: SkippedFile[] };
  valSet: ValidationSet;
  valDataset: string;
  output: ModelCard['output'];
  ckptDir: string;
  engine: GradientEngine;
  position: RunPosition;
  rng: SeededRandom;
  /**
   * The next step's batch, drawn while this step's gradient runs in the engine's thread, and the
   * generator's position before it (what a checkpoint stores, so a resumed run draws the same batch).
   */
  nextBatch?: { rngPosition: number; batch: Promise<Batch> } | undefined;
  batchSpec: BatchSpec;
  totalSteps: number;
  /** Fields every progress event carries. */
  base: Pick<TrainProgress, 'backend' | 'workers' | 'totalSteps' | 'skippedFiles' | 'modelFolder'>;
  stepsSinceValidation: number;
  /** The patches/s clock: restarted after each validation (validation time is not training time). */
  clock: { sessionStart: number; wallAtSessionStart: number; stepsThisSession: number };
  bestCard?: ModelCard;
  /** The model the run started from (--init); absent for a new network. */
  startModel?: StartModel;
  /** A validation since this epoch began found a new best (early stopping counts epochs without one). */
  improvedThisEpoch: boolean;
}

/** The run's validation crops: `valImages` centre crops of `valCrop` px with the run's validation noise. */
function validationSpecOf(config: TrainConfig): ValidationSpec {
  const { noiseLevelInput, output } = architectureOf(config.arch);
  return {
    channels: config.channels,
    sigma: config.valSigma,
    maxImages: config.valImages,
    crop: config.valCrop,
    noiseLevelInput,
    output,
    seed: config.seed,
    clip: clipsNoise(config.noise),
    ...(config.valNoise ? { camera: config.valNoise } : {}),
  };
}

/** Loads the data, resumes the checkpoint in the out folder (or starts fresh, or from --init) and starts the engine. */
async function setUpRun(config: TrainConfig, callbacks: TrainCallbacks): Promise<Run> {
  const { runId, signal } = callbacks;
  const emit = (p: Omit<TrainProgress, 'runId'>) => callbacks.onProgress?.({ runId, ...p });
  const totalSteps = config.epochs * config.stepsPerEpoch;
  emit({ phase: 'loading', step: 0, totalSteps, epoch: 0 });
  await assertTrainOutFolder(config.out, config); // before anything is loaded or written; a run folder only with its own recipe

  const data = await loadData(config);
  const { noiseLevelInput, output } = architectureOf(config.arch);
  if (config.noise.type === 'salt-pepper' && noiseLevelInput) {
    throw new EngineError('invalid-request', `${config.arch} needs Gaussian noise (its extra input is the Gaussian σ)`);
  }
  const valSet: ValidationSet = await buildValidationSet(data.val, validationSpecOf(config));
  const valDataset = config.val ? path.basename(config.val) : `${path.basename(config.data)} (held out)`;
  const ckptDir = checkpointDir(config.out);
  const resumed = await readLatestCheckpoint(ckptDir);
  if (resumed && resumed.position.config.arch !== config.arch) {
    throw new EngineError(
      'invalid-request',
      `The checkpoint in ${ckptDir} is a ${resumed.position.config.arch}, not a ${config.arch}`,
      ckptDir,
    );
  }
  const spec = netSpecOf(config);
  const fallbacks: string[] = [];
  const from =
    resumed?.state ??
    (config.init
      ? await initialStateFrom(config.init, spec, config.seed)
      : await seededInitialState(spec, config.seed));
  const engine = await startGradientEngine(spec, from, {
    runtime: config.runtime,
    provider: config.provider,
    workers: config.workers,
    shape: [config.batch, config.patch, config.patch, inputChannelsOf(config.arch, config.channels)],
    ...(callbacks.backend ? { tfBackend: callbacks.backend } : {}),
    onFallback: (reason) => fallbacks.push(reason),
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
        backend: engine.backend,
      };
  // A run resumed on another engine records both, in order (the card says what trained it).
  const history = position.backend.split(' then ');
  if (history[history.length - 1] !== engine.backend)
    position.backend = resumed ? `${position.backend} then ${engine.backend}` : engine.backend;
  const startModel = await startModelOf(config);
  const base: Run['base'] = { backend: engine.backend, workers: engine.size, totalSteps, skippedFiles: data.skipped };
  if (fallbacks.length)
    emit({ ...base, phase: 'loading', step: position.step, epoch: position.epoch, message: fallbacks.join('; ') });
  if (resumed && position.bestValPsnr !== undefined && (await modelFolderExists(config.out)))
    base.modelFolder = config.out;
  return {
    config,
    emit,
    signal,
    data,
    valSet,
    valDataset,
    output,
    ckptDir,
    engine,
    position,
    rng: new SeededRandom(position.rngPosition),
    batchSpec: batchSpecOf(config),
    totalSteps,
    base,
    stepsSinceValidation: position.epochStep,
    clock: { sessionStart: performance.now(), wallAtSessionStart: position.wallTimeSeconds, stepsThisSession: 0 },
    ...(startModel ? { startModel } : {}),
    improvedThisEpoch: false,
  };
}

async function saveCheckpoint(run: Run): Promise<void> {
  run.position.rngPosition = run.nextBatch?.rngPosition ?? run.rng.position;
  await writeCheckpoint(run.ckptDir, run.position, await run.engine.state());
}

/**
 * Starts drawing the next batch: the camera pipeline and the JPEG round trips of a batch take about
 * 40 % of a step on two cores, and the gradient runs in a thread of its own meanwhile. A draw that
 * is never used (the run stopped) is dropped; its failure surfaces when it is awaited.
 */
function drawAhead(run: Run): NonNullable<Run['nextBatch']> {
  const rngPosition = run.rng.position;
  const batch = sampleBatch(run.data.train, run.batchSpec, run.rng);
  batch.catch(() => undefined); // awaited by the next step; a stopped run never awaits it
  return { rngPosition, batch };
}

/** One Adam step on a fresh batch and its progress event. */
async function trainStep(run: Run): Promise<void> {
  const { config, position, clock } = run;
  const lr = learningRate(config, position.step);
  const batch = await (run.nextBatch?.batch ?? sampleBatch(run.data.train, run.batchSpec, run.rng));
  run.nextBatch = undefined;
  const stepping = run.engine.step(batch.input, batch.target, batch.inShape, batch.outShape, lr);
  if (position.step + 1 < run.totalSteps) run.nextBatch = drawAhead(run);
  const loss = await stepping;
  if (!Number.isFinite(loss))
    throw new EngineError('internal', `Training diverged at step ${position.step} (loss ${loss}); lower --lr`);
  position.step += 1;
  position.epochStep += 1;
  position.patchesSeen += config.batch;
  clock.stepsThisSession += 1;
  run.stepsSinceValidation += 1;
  const elapsed = (performance.now() - clock.sessionStart) / 1000;
  position.wallTimeSeconds = clock.wallAtSessionStart + elapsed;
  const patchesPerSecond = (clock.stepsThisSession * config.batch) / elapsed;
  run.emit({
    ...run.base,
    phase: 'training',
    step: position.step,
    epoch: position.epoch,
    loss,
    lr,
    patchesPerSecond,
    etaSeconds: ((run.totalSteps - position.step) * config.batch) / patchesPerSecond,
    ...lastValOf(position),
    ...bestOf(position),
  });
}

/** After a step: an early validation (which checkpoints), else a checkpoint every --checkpoint-every steps; epoch ends do both themselves. */
async function afterStep(run: Run): Promise<void> {
  const { config, position } = run;
  if (validatesEarlyAfter(position.step, position.epochStep, config.stepsPerEpoch)) await validateEarly(run);
  else if (
    config.checkpointEvery > 0 &&
    position.step % config.checkpointEvery === 0 &&
    position.epochStep < config.stepsPerEpoch
  )
    await saveCheckpoint(run);
}

/**
 * Validation measures the model as it would be exported: BatchNorm statistics recalibrated first
 * (a no-op without BatchNorm), on patches from their own seeded stream so the training stream of
 * a resumed run is unchanged. A starting model is measured as it is (`recalibrate` false): that is
 * the model the user has, and the one kept if nothing beats it.
 */
async function validate(run: Run, recalibrate = true) {
  const { config, position, valSet } = run;
  run.emit({ ...run.base, phase: 'validating', step: position.step, epoch: position.epoch });
  if (recalibrate)
    await recalibrateBatchNorm(
      run.engine,
      recalibrationDraw(run.data.train, run.batchSpec, config.seed, position.step),
    );
  run.stepsSinceValidation = 0;
  const result = await evaluate(valSet, (input, shape) => run.engine.predict(input, shape), run.output);
  position.lastVal = { psnr: result.psnr, ssim: result.ssim, noisyPsnr: result.noisyPsnr };
  const first = valSet.crops[0]!;
  const preview = {
    noisy: await toPngBase64(first.noisy, first.side, config.channels),
    denoised: await toPngBase64(result.firstDenoised, first.side, config.channels),
    clean: await toPngBase64(first.clean, first.side, config.channels),
  };
  return { result, preview };
}

/**
 * The model folder always holds the best validated weights, exported when they are found, so
 * stopping or a crash leaves a usable model behind.
 */
async function exportBest(run: Run): Promise<void> {
  const { position } = run;
  run.emit({ ...run.base, phase: 'exporting', step: position.step, epoch: position.epoch });
  const { weights } = await run.engine.state();
  run.bestCard = await exportModel(
    run.config,
    position,
    weights,
    run.config.out,
    run.valDataset,
    run.valSet.crops.length,
    run.startModel,
  );
  run.base.modelFolder = run.config.out;
}

function isBest(position: RunPosition, psnr: number): boolean {
  return position.bestValPsnr === undefined || psnr > position.bestValPsnr;
}

/** A validation's figures as the progress event after it carries them (with the new preview). */
function validationEvent(run: Run, result: ValScore, preview: TrainProgress['preview']): Omit<TrainProgress, 'runId'> {
  const { position } = run;
  return {
    ...run.base,
    phase: 'training',
    step: position.step,
    epoch: position.epoch,
    valPsnr: result.psnr,
    valSsim: result.ssim,
    valNoisyPsnr: result.noisyPsnr,
    ...bestOf(position),
    preview,
  };
}

/**
 * Validates and, when the weights beat every earlier validation (the start's included), exports
 * them as the run's model. Answers the figures and whether they were the best.
 */
async function validateAndKeepBest(
  run: Run,
  options: { start?: boolean } = {},
): Promise<{ result: ValScore; preview: TrainProgress['preview']; improved: boolean }> {
  const { position } = run;
  // A new network's BatchNorm statistics are their initial 0 and 1: recalibrated as at any validation.
  const { result, preview } = await validate(run, !options.start || run.config.init === undefined);
  if (options.start) position.startVal = { psnr: result.psnr, ssim: result.ssim, noisyPsnr: result.noisyPsnr };
  const improved = isBest(position, result.psnr);
  if (improved) {
    position.bestValPsnr = result.psnr;
    run.improvedThisEpoch = true;
    await exportBest(run);
  }
  return { result, preview, improved };
}

/** The starting point, measured before the first step: the first point of the chart and the bar to clear. */
async function validateStart(run: Run): Promise<void> {
  const { position } = run;
  const { result, preview } = await validateAndKeepBest(run, { start: true });
  run.emit(validationEvent(run, result, preview));
  run.clock = { sessionStart: performance.now(), wallAtSessionStart: position.wallTimeSeconds, stepsThisSession: 0 };
}

/** A validation between epoch ends (validation-schedule.ts): kept when best, and checkpointed with the run's position. */
async function validateEarly(run: Run): Promise<void> {
  const { position } = run;
  const { result, preview } = await validateAndKeepBest(run);
  await saveCheckpoint(run);
  run.emit(validationEvent(run, result, preview));
  run.clock = { sessionStart: performance.now(), wallAtSessionStart: position.wallTimeSeconds, stepsThisSession: 0 };
}

/** The end of an epoch: validate, checkpoint, export when best; answers whether to stop early. */
async function endEpoch(run: Run): Promise<'continue' | 'early-stop'> {
  const { config, position } = run;
  const { result, preview } = await validateAndKeepBest(run);
  position.epoch += 1;
  position.epochStep = 0;
  position.epochsWithoutImprovement = run.improvedThisEpoch ? 0 : position.epochsWithoutImprovement + 1;
  run.improvedThisEpoch = false;
  await saveCheckpoint(run);
  run.emit(validationEvent(run, result, preview));
  if (config.patience > 0 && position.epochsWithoutImprovement >= config.patience) {
    run.emit({
      ...run.base,
      phase: 'training',
      step: position.step,
      epoch: position.epoch,
      message: `Early stop: no better validation PSNR for ${config.patience} epochs`,
    });
    return 'early-stop';
  }
  run.clock = { sessionStart: performance.now(), wallAtSessionStart: position.wallTimeSeconds, stepsThisSession: 0 };
  return 'continue';
}

/**
 * The int8 version of the model this session exported (config.int8), as `clearframe quantize` makes
 * it, guarded on the validation crops. A failure leaves the float model, which runs as before, and says so.
 */
async function makeInt8(run: Run): Promise<void> {
  const { config, position } = run;
  if (!config.int8 || !run.bestCard || run.signal?.reason === SHUTDOWN_REASON) return;
  run.emit({
    ...run.base,
    phase: 'exporting',
    step: position.step,
    epoch: position.epoch,
    message: 'Making the 8-bit version of the model for fast CPU runs…',
  });
  try {
    run.bestCard = (await quantizeRunModel(config.out, run.bestCard, config, run.valSet, run.valDataset)).card;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    run.emit({
      ...run.base,
      phase: 'exporting',
      step: position.step,
      epoch: position.epoch,
      message: `No 8-bit version (${reason}); the model runs at full precision.`,
    });
  }
}

/**
 * A camera run's own Auto floor (auto-floor.ts), measured on larger crops of the held-out photos with
 * the camera's fitted noise, after the int8 version so the level is the one the app's model does
 * best at. A failure leaves the app's floor, and says so.
 */
async function fitAutoFloor(run: Run): Promise<void> {
  const { config, position } = run;
  if (!config.valNoise || !run.bestCard?.noiseLevelInput || run.signal?.reason === SHUTDOWN_REASON) return;
  const emit = (message: string) =>
    run.emit({ ...run.base, phase: 'exporting', step: position.step, epoch: position.epoch, message });
  emit('Finding the noise level that suits the camera’s noise best…');
  try {
    const set = await buildValidationSet(run.data.val, {
      ...validationSpecOf(config),
      maxImages: FLOOR_SWEEP.images,
      crop: FLOOR_SWEEP.crop,
    });
    run.bestCard = (await writeAutoFloor(config.out, run.bestCard, set, config.workers || undefined)).card;
  } catch (error) {
    emit(
      `No noise level of its own (${error instanceof Error ? error.message : String(error)}); Auto works as for other models.`,
    );
  }
}

/** Stopped by the user: what was learnt since the last validation is measured too, and kept when it is the best. */
async function finishStopped(run: Run): Promise<TrainResult> {
  const { position } = run;
  if (run.stepsSinceValidation > 0) await validateAndKeepBest(run);
  await saveCheckpoint(run);
  await makeInt8(run);
  await fitAutoFloor(run);
  run.emit({
    ...run.base,
    phase: 'stopped',
    step: position.step,
    epoch: position.epoch,
    ...lastValOf(position),
    ...bestOf(position),
  });
  return {
    phase: 'stopped',
    step: position.step,
    epoch: position.epoch,
    ...(run.bestCard ? { card: run.bestCard } : {}),
    ...(run.base.modelFolder ? { modelFolder: run.base.modelFolder } : {}),
    skipped: run.data.skipped,
  };
}

async function finishDone(run: Run): Promise<TrainResult> {
  const { config, position } = run;
  if (!run.base.modelFolder) await exportBest(run); // every epoch validated without a best: cannot happen, but never end without a model
  await makeInt8(run);
  await fitAutoFloor(run);
  run.emit({
    ...run.base,
    phase: 'done',
    step: position.step,
    epoch: position.epoch,
    modelFolder: config.out,
    ...lastValOf(position),
    ...bestOf(position),
  });
  return {
    phase: 'done',
    step: position.step,
    epoch: position.epoch,
    modelFolder: config.out,
    ...(run.bestCard ? { card: run.bestCard } : {}),
    ...(position.bestValPsnr !== undefined ? { valPsnr: position.bestValPsnr } : {}),
    skipped: run.data.skipped,
  };
}

export async function runTraining(config: TrainConfig, callbacks: TrainCallbacks): Promise<TrainResult> {
  const run = await setUpRun(config, callbacks);
  const { position } = run;
  try {
    if (position.step === 0 && position.startVal === undefined) await validateStart(run);
    while (position.epoch < config.epochs) {
      while (position.epochStep < config.stepsPerEpoch) {
        if (run.signal?.aborted) return await finishStopped(run);
        await trainStep(run);
        await afterStep(run);
      }
      if ((await endEpoch(run)) === 'early-stop') break;
    }
    return await finishDone(run);
  } finally {
    await run.engine.close();
  }
}
