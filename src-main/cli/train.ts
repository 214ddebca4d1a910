// `clearframe train`: flags → TrainConfig, a progress bar (or JSON lines with --json), Ctrl-C stops
// after a checkpoint. Runnable on its own (`tsx src-main/cli/train.ts …`) and from the main CLI.
// The CLI is the engine without a UI, so the run happens in this process (the app runs it in its
// engine process instead, behind the engine client): there is no window here to keep responsive.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ClearframeError, describeZodError } from '../../src-shared/contract-core.js';
import { EngineError } from '../engine/contract/engine-error.js';
import { int8PassesGuard } from '../../src-shared/schemas/models.js';
import { ArchitectureId } from '../../src-shared/schemas/models.js';
import { DEFAULT_RECIPE, TrainConfig, type TrainProgress } from '../../src-shared/schemas/train.js';
import { TRAIN_PRESETS, TrainPresetId, type TrainPreset } from '../../src-shared/schemas/train-presets.js';
import { estimatedSeconds, runForBudget } from '../../src-shared/train-estimate.js';
import { estimateTraining } from '../engine/train/estimate.js';
import { readLatestCheckpoint } from '../engine/contract/checkpoint.js';
import { exportRun } from '../engine/train/export-run.js';
import { assertTrainingFits } from '../engine/train/memory-estimate.js';
import { assertTrainOutFolder } from '../engine/contract/out-folder.js';
import { CAMERA_RECIPE } from '../engine/train/noise.js';
import { checkpointDir, runTraining } from '../engine/train/trainer.js';
import { readRecipeNoise } from '../engine/noise-profile/camera-recipe.js';
import { CAMERA_PRESET_USAGE, cameraPresetConfig } from './train-camera.js';
import { parseCommand } from './command.js';
import { formatDuration, progressBar, ProgressLine } from './progress-line.js';

const presetWords = TrainPresetId.options.map((id) => `${id} (${TRAIN_PRESETS[id].hint})`).join(', ');

export const TRAIN_USAGE = `clearframe train --data DIR [--preset ${TrainPresetId.options.join('|')}] [--val DIR] [--arch ${ArchitectureId.options.join('|')}] [--channels 1|3]
  [--patch ${DEFAULT_RECIPE.patch}] [--batch ${DEFAULT_RECIPE.batch}] [--epochs N] [--steps-per-epoch N] [--sigma 25 | --sigma-range 0,50] [--unclipped | --half-unclipped]
  [--noise camera|camera-profile|gaussian|salt-pepper] [--profile RECIPE.json] [--density 0.1] [--init MODEL_DIR] [--lr ${DEFAULT_RECIPE.lr}] [--lr-schedule cosine|step|constant]
  [--loss mse|l1] [--weight-decay 0] [--patience N] [--checkpoint-every N] [--workers N] [--seed N]
  [--runtime auto|onnxruntime|tfjs] [--provider cpu|webgpu|dml|cuda]
  [--val-sigma 25] [--val-fraction 0.05] [--val-images 8] [--val-crop 128] [--id ID] [--name NAME] --out DIR | --resume DIR  [--json]
Without recipe flags a run gets the Train view's default recipe: ${DEFAULT_RECIPE.arch}, colour, --noise camera,
${DEFAULT_RECIPE.patch}-px patches, batch ${DEFAULT_RECIPE.batch}, --lr ${DEFAULT_RECIPE.lr}, ${DEFAULT_RECIPE.epochs} epochs of ${DEFAULT_RECIPE.stepsPerEpoch} steps. Until December 2026 the CLI's
own default was dcae-res, grey, --sigma 25, --patch 64, --lr 1e-3, 50 epochs: pass those flags for that recipe.
--preset is one of the Train view's: ${presetWords}.
It sets the network, patch, batch and learning rate; unless --epochs or --steps-per-epoch is given, a few steps
are measured here and the run is as long as fits its time. Flags given beside it override its fields.
Checkpoints go to DIR/checkpoints/; --out takes a new or empty folder only. --resume DIR continues the run
there with its saved recipe (--epochs, --patience, --checkpoint-every, --workers, --runtime, --provider may change).
--unclipped leaves white noise outside 0..1, as the Gaussian benchmarks do (default: clipped, as photos are);
--half-unclipped does so for half the patches.
--noise camera: real camera noise (simulated sensor + pipeline + JPEG) mixed with correlated and
white Gaussian noise; recommended for photos. --noise camera-profile --profile FILE: one camera's noise as
clearframe profile --recipe FILE fitted it. --init starts from a model folder's weights.
--runtime auto (default) trains on @tensorflow/tfjs-node-gpu (one worker) when it is installed and loads,
else on ONNX Runtime's training graph; --provider runs that graph on another execution provider
(webgpu, dml on Windows, cuda where installed; Adam and checkpoints are the same, so a run can move).
clearframe train --export RUN_DIR --out MODEL_DIR [--eval DIR] [--eval-sigma 25] [--id ID] [--name NAME] [--no-int8]
  writes RUN_DIR's latest checkpoint as a model folder, new or empty (the run may keep going), optionally measured
  on every image of DIR with seeded Gaussian noise; with --eval also model.int8.onnx when it passes
  the int8 quality guard on DIR (see clearframe quantize).
${CAMERA_PRESET_USAGE}`;

const options = {
  data: { type: 'string' },
  preset: { type: 'string' },
  val: { type: 'string' },
  arch: { type: 'string' },
  channels: { type: 'string' },
  patch: { type: 'string' },
  batch: { type: 'string' },
  epochs: { type: 'string' },
  'steps-per-epoch': { type: 'string' },
  sigma: { type: 'string' },
  'sigma-range': { type: 'string' },
  noise: { type: 'string' },
  profile: { type: 'string' },
  density: { type: 'string' },
  unclipped: { type: 'boolean' },
  'half-unclipped': { type: 'boolean' },
  lr: { type: 'string' },
  'lr-schedule': { type: 'string' },
  loss: { type: 'string' },
  'weight-decay': { type: 'string' },
  patience: { type: 'string' },
  'checkpoint-every': { type: 'string' },
  workers: { type: 'string' },
  runtime: { type: 'string' },
  provider: { type: 'string' },
  seed: { type: 'string' },
  'val-sigma': { type: 'string' },
  'val-fraction': { type: 'string' },
  'val-images': { type: 'string' },
  'val-crop': { type: 'string' },
  id: { type: 'string' },
  name: { type: 'string' },
  out: { type: 'string' },
  init: { type: 'string' },
  resume: { type: 'string' },
  export: { type: 'string' },
  eval: { type: 'string' },
  'eval-sigma': { type: 'string' },
  'no-int8': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

function num(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new ClearframeError('invalid-request', `Not a number: ${value}`);
  return n;
}

function noiseFrom(values: {
  noise?: string;
  sigma?: string;
  'sigma-range'?: string;
  density?: string;
  unclipped?: boolean;
  'half-unclipped'?: boolean;
}): TrainConfig['noise'] | undefined {
  const noise = gaussianOrOtherNoise(values);
  if (!values.unclipped && !values['half-unclipped']) return noise;
  if (noise?.type !== 'gaussian' && noise?.type !== 'gaussian-range')
    throw new ClearframeError(
      'invalid-request',
      '--unclipped and --half-unclipped need --sigma or --sigma-range (white Gaussian noise)',
    );
  const unclipped = { ...noise, unclipped: true };
  return values.unclipped ? unclipped : { type: 'mixture', parts: [noise, unclipped] };
}

function gaussianOrOtherNoise(values: {
  noise?: string;
  sigma?: string;
  'sigma-range'?: string;
  density?: string;
}): TrainConfig['noise'] | undefined {
  if (values.noise === 'salt-pepper') return { type: 'salt-pepper', density: num(values.density) ?? 0.1 };
  if (values.noise === 'camera') return CAMERA_RECIPE;
  if (values.noise !== undefined && values.noise !== 'gaussian')
    throw new ClearframeError('invalid-request', `Unknown --noise ${values.noise}`);
  if (values['sigma-range']) {
    const [lo, hi] = values['sigma-range'].split(',').map((s) => num(s.trim()));
    if (lo === undefined || hi === undefined || hi < lo)
      throw new ClearframeError('invalid-request', '--sigma-range needs MIN,MAX');
    return { type: 'gaussian-range', sigmaMin: lo, sigmaMax: hi };
  }
  const sigma = num(values.sigma);
  return sigma === undefined ? undefined : { type: 'gaussian', sigma };
}

async function profileNoise(file: string | undefined): Promise<TrainConfig['noise']> {
  if (!file)
    throw new ClearframeError(
      'invalid-request',
      '--noise camera-profile needs --profile FILE (written by clearframe profile FOLDER --recipe FILE)',
    );
  return readRecipeNoise(path.resolve(file));
}

export const RESUMED = '; resumed: ';

/** The run's command line with each different resume appended, so a card tells how it was trained. */
export function withResume(saved: string | undefined, command: string): string {
  if (saved === undefined) return command;
  return saved === command || saved.endsWith(`${RESUMED}${command}`) ? saved : `${saved}${RESUMED}${command}`;
}

export interface TrainArgs {
  config: TrainConfig;
  json: boolean;
  resume: boolean;
  /** A preset's time budget in seconds, when the run's length is to be fitted to it here (trainCommand). */
  budgetSeconds?: number;
}

/** --preset quick|good|best: the preset (its id checked); undefined without one. */
function presetOf(id: string | undefined): TrainPreset | undefined {
  if (id === undefined) return undefined;
  const parsed = TrainPresetId.safeParse(id);
  if (!parsed.success)
    throw new ClearframeError(
      'invalid-request',
      `Unknown --preset ${id} (known: ${[...TrainPresetId.options, 'camera'].join(', ')})`,
    );
  return TRAIN_PRESETS[parsed.data];
}

/**
 * Flags → config: the default recipe (TrainConfig's defaults), then the --preset's fields, then the
 * flags; with --resume, the checkpoint's saved config is the base the flags override.
 */
export async function configFromArgs(argv: string[]): Promise<TrainArgs | undefined> {
  const parsedArgs = parseCommand(argv, TRAIN_USAGE, { options });
  if (!parsedArgs) return undefined;
  const { values } = parsedArgs;
  const preset = presetOf(values.preset);
  if (preset && values.resume)
    throw new ClearframeError(
      'invalid-request',
      '--preset starts a new run; --resume continues the run with its saved recipe',
    );
  const out = values.resume ?? values.out;
  if (!out) throw new ClearframeError('invalid-request', '--out DIR (or --resume DIR) is required');
  const saved = values.resume ? (await readLatestCheckpoint(checkpointDir(values.resume)))?.position.config : undefined;
  if (values.resume && !saved)
    throw new ClearframeError('not-found', `No checkpoint to resume in ${checkpointDir(values.resume)}`, values.resume);
  const noise = values.noise === 'camera-profile' ? await profileNoise(values.profile) : noiseFrom(values);
  const flags = {
    data: values.data && path.resolve(values.data),
    val: values.val && path.resolve(values.val),
    arch: values.arch,
    channels: num(values.channels),
    patch: num(values.patch),
    batch: num(values.batch),
    epochs: num(values.epochs),
    stepsPerEpoch: num(values['steps-per-epoch']),
    noise,
    // A camera's fitted noise is validated on itself, unless --val-sigma asks for white noise.
    valNoise: noise?.type === 'camera-profile' && values['val-sigma'] === undefined ? noise : undefined,
    lr: num(values.lr),
    lrSchedule: values['lr-schedule'],
    loss: values.loss,
    weightDecay: num(values['weight-decay']),
    patience: num(values.patience),
    checkpointEvery: num(values['checkpoint-every']),
    workers: num(values.workers),
    runtime: values.runtime,
    provider: values.provider,
    seed: num(values.seed),
    valSigma: num(values['val-sigma']),
    valFraction: num(values['val-fraction']),
    valImages: num(values['val-images']),
    valCrop: num(values['val-crop']),
    init: values.init && path.resolve(values.init),
    modelId: values.id,
    modelName: values.name,
  };
  const defined = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  if (!saved && !values.data) throw new ClearframeError('invalid-request', '--data DIR is required');
  const command = ['clearframe', 'train', ...argv].join(' ');
  const parsed = TrainConfig.safeParse({
    ...(saved ?? preset?.recipe ?? {}),
    ...defined,
    out: path.resolve(out),
    command: withResume(saved?.command, command),
  });
  if (!parsed.success) throw new ClearframeError('invalid-request', describeZodError(parsed.error));
  const lengthGiven = flags.epochs !== undefined || flags.stepsPerEpoch !== undefined;
  return {
    config: parsed.data,
    json: values.json ?? false,
    resume: values.resume !== undefined,
    ...(preset && !lengthGiven ? { budgetSeconds: preset.seconds } : {}),
  };
}

/** The longest run of `config` that fits `seconds` at the pace measured here, as the Train view sizes a preset's run. */
async function fitToBudget(config: TrainConfig, seconds: number): Promise<TrainConfig> {
  console.error(`Measuring a few training steps to fit the run to ${formatDuration(seconds)}…`);
  const measured = await estimateTraining(config);
  const length = runForBudget(measured, seconds);
  console.error(
    `${length.epochs} epoch(s) of ${length.stepsPerEpoch} steps at ${measured.secondsPerStep.toFixed(2)} s each (${measured.backend}): about ${formatDuration(estimatedSeconds(measured, length))}`,
  );
  return TrainConfig.parse({ ...config, ...length });
}

function progressText(p: TrainProgress): string {
  const bar = progressBar(p.totalSteps ? p.step / p.totalSteps : 0, 24);
  const parts = [`${bar} step ${p.step}/${p.totalSteps}`, `epoch ${p.epoch}`];
  if (p.loss !== undefined) parts.push(`loss ${p.loss.toExponential(3)}`);
  if (p.patchesPerSecond !== undefined) parts.push(`${p.patchesPerSecond.toFixed(1)} patches/s`);
  if (p.etaSeconds !== undefined) parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
  if (p.valPsnr !== undefined)
    parts.push(
      `val ${p.valPsnr.toFixed(2)} dB${p.valNoisyPsnr === undefined ? '' : ` (noisy ${p.valNoisyPsnr.toFixed(2)})`}`,
    );
  if (p.backend) parts.push(`${p.backend}×${p.workers}`);
  return parts.join('  ');
}

async function exportCommand(argv: string[]): Promise<number> {
  const parsedArgs = parseCommand(argv, TRAIN_USAGE, { options });
  if (!parsedArgs) return 0;
  const { values } = parsedArgs;
  const runDir = path.resolve(values.export!);
  if (!values.out)
    throw new ClearframeError(
      'invalid-request',
      '--export RUN_DIR needs --out MODEL_DIR, a new or empty folder for the model',
    );
  const outDir = path.resolve(values.out);
  const card = await exportRun(runDir, outDir, {
    ...(values.eval ? { evalData: path.resolve(values.eval), evalSigma: num(values['eval-sigma']) ?? 25 } : {}),
    ...(values.id ? { modelId: values.id } : {}),
    ...(values.name ? { modelName: values.name } : {}),
    ...(values['no-int8'] ? { noInt8: true } : {}),
  });
  const q = card.quantized;
  const int8 = q
    ? `; int8 ${q.psnr.toFixed(2)} dB vs float ${q.floatPsnr.toFixed(2)} (${int8PassesGuard(q) ? `${q.file} kept` : 'rejected by the guard'})`
    : '';
  const summary =
    card.metrics
      .map(
        (m) =>
          `${m.dataset} σ${m.sigma}: ${m.psnr.toFixed(2)} dB / SSIM ${m.ssim.toFixed(3)} (noisy ${m.noisyPsnr?.toFixed(2)})`,
      )
      .join('; ') + int8;
  console.log(values.json ? JSON.stringify(card) : `Exported step ${card.steps} to ${outDir}: ${summary}`);
  return 0;
}

/** The value of --preset (also spelt --preset=ID), before the flags are parsed: camera takes other flags. */
function presetArg(argv: string[]): string | undefined {
  const at = argv.indexOf('--preset');
  return at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith('--preset='))?.slice('--preset='.length);
}

export async function trainCommand(argv: string[]): Promise<number> {
  if (argv.includes('--export')) return exportCommand(argv);
  const parsedArgs: TrainArgs | undefined =
    presetArg(argv) === 'camera' ? await cameraPresetConfig(argv, TRAIN_USAGE) : await configFromArgs(argv);
  if (!parsedArgs) return 0;
  const { json, resume, budgetSeconds } = parsedArgs;
  await assertTrainingFits(parsedArgs.config);
  // --out never continues a run, even one of the same recipe: only --resume does (the trainer then
  // checks that the recipe is the run's own).
  if (!resume) await assertTrainOutFolder(parsedArgs.config.out);
  const config = budgetSeconds === undefined ? parsedArgs.config : await fitToBudget(parsedArgs.config, budgetSeconds);
  const controller = new AbortController();
  // The first signal stops after a checkpoint. Wrappers (npx, tsx) relay a kill to the trainer as
  // well, so the same signal often arrives twice: the repeats must not end the process mid-write.
  let signals = 0;
  const stop = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) controller.abort();
    else if (signals >= 4)
      process.exit(130); // asked four times: leave now (the previous checkpoint stands)
    else console.error(`${signal}: stopping after the checkpoint…`);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const line = new ProgressLine(process.stdout);
  const tty = line.enabled && !json;
  let lastLogged = 0;
  const result = await runTraining(config, {
    runId: path.basename(config.out),
    signal: controller.signal,
    onProgress: (p) => {
      if (json) {
        const { preview: _preview, skippedFiles: _skipped, ...rest } = p;
        console.log(JSON.stringify({ time: new Date().toISOString(), ...rest }));
      } else if (tty) {
        line.update(progressText(p));
      } else if (p.phase !== 'training' || p.preview || p.step - lastLogged >= 10 || p.message) {
        lastLogged = p.step;
        console.log(`${new Date().toISOString()} ${p.phase} ${progressText(p)}${p.message ? `  ${p.message}` : ''}`);
      }
    },
  });
  if (tty) process.stdout.write('\n'); // the last progress line stays
  for (const s of result.skipped) console.error(`skipped ${s.file}: ${s.reason}`);
  if (result.phase === 'stopped')
    console.error(`Stopped at step ${result.step}; resume with: clearframe train --resume ${config.out}`);
  else console.error(`Model written to ${result.modelFolder} (validation ${result.valPsnr?.toFixed(2)} dB)`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  trainCommand(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const typed = error instanceof ClearframeError || error instanceof EngineError;
      console.error(typed ? `clearframe train: ${error.message}` : error);
      process.exit(typed ? 2 : 1);
    },
  );
}
