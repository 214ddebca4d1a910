// The model registry: shipped models (assets/models/<id>/, read-only) and user models
// (<data dir>/models/<id>/). Lists, validates, opens (ONNX Runtime, else tfjs), imports and deletes.
// A model that cannot be read or run fails with an error naming it; callers that just want to
// denoise use openWithFallback() to land on the default model for the image's channel count (the
// user's choice from the settings when it is usable, else the automatic one).
import { cp, readdir, rename, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EngineError } from '../engine-error.js';
import { int8PassesGuard, type ModelCard, type ModelSummary } from '../../../src-shared/schemas/models.js';
import { isCameraNoise } from '../../../src-shared/schemas/train.js';
import { shippedModelsDir } from '../../resources.js';
import { defaultDataDir } from '../../settings/data-dir.js';
import { createOnnxRuntime, createTfjsRuntime, type InferenceRuntime, type NhwcTensor } from '../infer/runtime.js';
import { CARD_JSON, MODEL_JSON, MODEL_ONNX, RUN_CHECKPOINTS, loadLayersModelFromFolder, readCard } from './model-folder.js';

export interface ModelRegistryDirs {
  shippedDir: string;
  userDir: string;
}

/** A CLI `--model` value: a folder (a path, or a folder here holding card.json) as an absolute path, else an id. */
export function modelRefFromArg(value: string): string {
  return value.includes('/') || value.includes('\\') || existsSync(join(value, CARD_JSON)) ? resolve(value) : value;
}

export function defaultRegistryDirs(env: NodeJS.ProcessEnv = process.env): ModelRegistryDirs {
  return { shippedDir: shippedModelsDir(), userDir: join(defaultDataDir(env), 'models') };
}

export interface ModelProblem {
  folder: string;
  reason: string;
}

/** A model ready to run: its summary and the runtime executing its network. */
export interface LoadedModel {
  summary: ModelSummary;
  card: ModelCard;
  runtime: InferenceRuntime;
  /** Why ONNX Runtime was not used, when the tfjs fallback runs. */
  runtimeFallbackReason?: string;
}

export type RuntimePreference = 'auto' | 'onnxruntime' | 'tfjs';

async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(join(dir, entry.name))).size;
  }
  return total;
}

/** Validates one model folder into a summary; throws an Error naming the folder and the reason. */
export async function describeModelFolder(folder: string, source: ModelSummary['source']): Promise<ModelSummary> {
  const card = await readCard(folder);
  const hasOnnx = existsSync(join(folder, MODEL_ONNX));
  if (!hasOnnx && !existsSync(join(folder, MODEL_JSON))) throw new Error(`${folder}: neither ${MODEL_ONNX} nor ${MODEL_JSON} is present`);
  return { card, source, folder, sizeBytes: await folderSize(folder), hasOnnx };
}

/** Trained on (simulated) real camera noise: such a model is the better default for people's photos. */
export function trainedForCameraNoise(card: ModelCard): boolean {
  return card.trainingNoise.type === 'pairs' || isCameraNoise(card.trainingNoise);
}

/**
 * The folder's int8 model file when it may run: card.quantized passes the quality guard and the
 * file is there. Undefined otherwise (the float model runs).
 */
export function usableInt8Model(summary: Pick<ModelSummary, 'card' | 'folder'>): string | undefined {
  const q = summary.card.quantized;
  if (!q || !int8PassesGuard(q)) return undefined;
  const file = join(summary.folder, q.file);
  return existsSync(file) ? file : undefined;
}

/** The mean PSNR a card reports at σ 25 (the usual yardstick), to rank candidate defaults. */
function headlinePsnr(card: ModelCard): number {
  const at25 = card.metrics.filter((m) => m.sigma === 25);
  return at25.length ? at25.reduce((s, m) => s + m.psnr, 0) / at25.length : -Infinity;
}

/** How the registry opens models (Settings → Engine, the environment, or a caller's choice). */
export interface OpenOptions {
  /** 'float32' never runs int8 models; 'auto' runs them on the CPU provider when they passed their guard. */
  precision: 'auto' | 'float32';
  /** ONNX Runtime intra-op threads; 0 or absent = every core. */
  threads?: number;
  /** ONNX Runtime providers to try, in order; absent = candidateProviders() for this platform. */
  providers?: readonly string[];
}

/**
 * Settings → Engine's `runtime` and `threads` as open options: 'auto'; 'onnxruntime:<provider>'
 * (that provider first, CPU after it as the fallback, both reported); 'tfjs' or 'tfjs:<backend>'
 * (the tfjs runtime, which picks its best backend).
 */
export function openOptionsFromSettings(settings: { runtime: string; threads: number }, precision: OpenOptions['precision'] = precisionFromEnv()): { options: OpenOptions; preference: RuntimePreference } {
  const options: OpenOptions = { precision, ...(settings.threads > 0 ? { threads: settings.threads } : {}) };
  const [runtime, provider] = settings.runtime.split(':');
  if (runtime === 'tfjs') return { options, preference: 'tfjs' };
  if (runtime === 'onnxruntime' && provider) return { options: { ...options, providers: provider === 'cpu' ? ['cpu'] : [provider, 'cpu'] }, preference: 'onnxruntime' };
  return { options, preference: runtimePreferenceFromEnv() };
}

export class ModelRegistry {
  constructor(
    readonly dirs: ModelRegistryDirs = defaultRegistryDirs(),
    readonly openOptions: OpenOptions = { precision: precisionFromEnv() },
  ) {}

  /** Every model folder in both places: valid ones as summaries, broken ones as problems. */
  async scan(): Promise<{ models: ModelSummary[]; problems: ModelProblem[] }> {
    const models: ModelSummary[] = [];
    const problems: ModelProblem[] = [];
    for (const [dir, source] of [[this.dirs.shippedDir, 'shipped'], [this.dirs.userDir, 'user']] as const) {
      let entries: string[];
      try {
        // Symlinked model folders count too (stat follows the link).
        const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
        entries = [];
        for (const name of names) if ((await stat(join(dir, name)).catch(() => undefined))?.isDirectory()) entries.push(name);
      } catch {
        continue; // no such folder yet: no models there
      }
      for (const name of entries) {
        const folder = join(dir, name);
        try {
          const summary = await describeModelFolder(folder, source);
          if (models.some((m) => m.card.id === summary.card.id)) throw new Error(`${folder}: id "${summary.card.id}" is already used by another model`);
          models.push(summary);
        } catch (error) {
          problems.push({ folder, reason: (error as Error).message });
        }
      }
    }
    return { models, problems };
  }

  async list(): Promise<ModelSummary[]> {
    return (await this.scan()).models;
  }

  async find(id: string): Promise<ModelSummary> {
    const { models, problems } = await this.scan();
    const found = models.find((m) => m.card.id === id);
    if (found) return found;
    const broken = problems.find((p) => p.folder.endsWith(`/${id}`) || p.folder.endsWith(`\\${id}`));
    if (broken) throw new EngineError('unsupported', `Model "${id}" is unusable: ${broken.reason}`, id);
    throw new EngineError('not-found', `There is no model "${id}" (have: ${models.map((m) => m.card.id).join(', ') || 'none'})`, id);
  }

  /**
   * A model by id, or by folder path (CLI `--model PATH`); undefined → the default for `channels`.
   * Only a ref with a path separator is a folder: a bare name is an id, looked up among the models
   * and never as a folder of the working directory (see modelRefFromArg for the CLI's bare names).
   */
  async resolve(ref: string | undefined, channels: 1 | 3): Promise<ModelSummary> {
    if (ref === undefined) return this.defaultFor(channels);
    if (ref.includes('/') || ref.includes('\\')) {
      try {
        return await describeModelFolder(resolve(ref), 'user');
      } catch (error) {
        throw new EngineError('unsupported', `Model folder ${ref} is unusable: ${(error as Error).message}`, ref);
      }
    }
    return this.find(ref);
  }

  /**
   * The default model for an image with `channels` channels: a model of that channel count (shipped
   * first, then one trained for real camera noise, then the best PSNR its card reports at σ 25); else
   * any model (grey runs per channel).
   */
  async defaultFor(channels: 1 | 3): Promise<ModelSummary> {
    const models = await this.list();
    const rank = (m: ModelSummary): number[] => [
      m.card.channels === channels ? 0 : 1,
      m.source === 'shipped' ? 0 : 1,
      trainedForCameraNoise(m.card) ? 0 : 1,
      -headlinePsnr(m.card),
    ];
    const sorted = [...models].sort((a, b) => {
      const ra = rank(a);
      const rb = rank(b);
      for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
      return a.card.id.localeCompare(b.card.id);
    });
    if (!sorted[0]) throw new EngineError('not-found', `No models are installed (looked in ${this.dirs.shippedDir} and ${this.dirs.userDir})`);
    return sorted[0];
  }

  /** Opens a model's runtime and checks that it really maps the card's channels (a 1-tile probe). */
  async open(summary: ModelSummary, preference: RuntimePreference = runtimePreferenceFromEnv(), openOptions: OpenOptions = this.openOptions): Promise<LoadedModel> {
    const { card, folder } = summary;
    let runtime: InferenceRuntime | undefined;
    let runtimeFallbackReason: string | undefined;
    const failures: string[] = [];
    if (preference !== 'tfjs' && summary.hasOnnx) {
      try {
        const { precision, threads, providers } = openOptions;
        const int8Model = precision === 'auto' ? usableInt8Model(summary) : undefined;
        runtime = await createOnnxRuntime(join(folder, MODEL_ONNX), {
          probe: probeTile(card),
          ...(int8Model ? { int8Model } : {}),
          ...(threads ? { threads } : {}),
          ...(providers ? { providers } : {}),
        });
      } catch (error) {
        runtimeFallbackReason = (error as Error).message;
        failures.push(`${MODEL_ONNX}: ${runtimeFallbackReason}`);
      }
    } else if (preference !== 'tfjs') {
      runtimeFallbackReason = `${MODEL_ONNX} is missing`;
    }
    if (!runtime && preference !== 'onnxruntime' && existsSync(join(folder, MODEL_JSON))) {
      try {
        runtime = await createTfjsRuntime(await loadLayersModelFromFolder(folder));
      } catch (error) {
        failures.push(`${MODEL_JSON}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    if (!runtime) throw new EngineError('unsupported', `Model "${card.id}" cannot be loaded (${failures.join('; ') || 'no runnable file'})`, card.id);
    try {
      await probe(runtime, card);
    } catch (error) {
      await runtime.dispose();
      throw new EngineError('unsupported', `Model "${card.id}" is incompatible with its card: ${(error as Error).message}`, card.id);
    }
    return runtimeFallbackReason && runtime.runtime === 'tfjs' ? { summary, card, runtime, runtimeFallbackReason } : { summary, card, runtime };
  }

  /** The model the user chose as the default for `channels`; fails when it is missing or made for the other channel count. */
  async preferredDefault(id: string, channels: 1 | 3): Promise<ModelSummary> {
    const summary = await this.find(id);
    if (summary.card.channels !== channels) {
      const kind = (c: 1 | 3): string => (c === 1 ? 'greyscale' : 'colour');
      throw new EngineError('unsupported', `Model "${id}" is for ${kind(summary.card.channels)} photos and cannot be the default for ${kind(channels)} photos`, id);
    }
    return summary;
  }

  /**
   * Opens `ref`; without one, the user's `preferredDefault` for `channels` ('' → the automatic
   * default). When that model is unusable — broken, or a preferred default that is missing or made
   * for the other channel count — opens the automatic default instead and says why. A model named
   * by `ref` that does not exist is an error, not a reason to substitute.
   */
  async openWithFallback(
    ref: string | undefined, channels: 1 | 3, preferredDefault = '', engine?: { options: OpenOptions; preference: RuntimePreference },
  ): Promise<{ model: LoadedModel; fallbackFrom?: string; reason?: string }> {
    const open = (summary: ModelSummary): Promise<LoadedModel> => (engine ? this.open(summary, engine.preference, engine.options) : this.open(summary));
    const requested = ref ?? (preferredDefault || undefined);
    try {
      const summary =
        ref !== undefined ? await this.resolve(ref, channels)
        : requested !== undefined ? await this.preferredDefault(requested, channels)
        : await this.defaultFor(channels);
      return { model: await open(summary) };
    } catch (error) {
      // Nothing to fall back to when the automatic default itself failed.
      if (!(error instanceof EngineError) || requested === undefined || (error.code === 'not-found' && ref !== undefined)) throw error;
      const fallback = await this.defaultFor(channels);
      if (fallback.card.id === requested) throw error;
      try {
        return { model: await open(fallback), fallbackFrom: requested, reason: error.message };
      } catch (fallbackError) {
        // Say why the requested model failed, not only why its stand-in did.
        const why = fallbackError instanceof Error ? fallbackError.message : String(fallbackError);
        throw new EngineError('unsupported', `${error.message}; the default model "${fallback.card.id}" cannot be used either: ${why}`, requested);
      }
    }
  }

  /** Copies a model folder into the user models; its card id names the new folder. */
  /**
   * Copies a model folder into the user's models. A training run's folder is one too (the trainer
   * keeps its best model there); its checkpoints/ stay behind, they are for resuming the run.
   */
  async importFolder(folder: string): Promise<ModelSummary> {
    const source = resolve(folder);
    let summary: ModelSummary;
    try {
      summary = await describeModelFolder(source, 'user');
    } catch (error) {
      if (!existsSync(join(source, CARD_JSON)) && existsSync(join(source, RUN_CHECKPOINTS))) {
        throw new EngineError('unsupported', `${folder} is a training run without a model yet: resume it, and it keeps its best model there from its first validation on`, folder);
      }
      // The reasons name the folder or the file already; said once.
      const reason = (error as Error).message.replace(`${source}: `, '');
      throw new EngineError('unsupported', `Cannot import ${folder}: ${reason}`, folder);
    }
    const existing = (await this.list()).find((m) => m.card.id === summary.card.id);
    if (existing) throw new EngineError('busy', `A model with id "${summary.card.id}" is already installed (${existing.folder})`, summary.card.id);
    const target = join(this.dirs.userDir, summary.card.id);
    const staging = `${target}.importing-${process.pid}`;
    try {
      await cp(source, staging, { recursive: true, errorOnExist: true, filter: (from) => from !== join(source, RUN_CHECKPOINTS) });
      await describeModelFolder(staging, 'user');
      await rename(staging, target);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw new EngineError('io', `Cannot import ${folder}: ${(error as Error).message}`, folder);
    }
    return describeModelFolder(target, 'user');
  }

  async delete(id: string): Promise<void> {
    const summary = await this.find(id);
    if (summary.source !== 'user') throw new EngineError('forbidden', `Model "${id}" ships with Clearframe and cannot be deleted`, id);
    await rm(summary.folder, { recursive: true, force: true });
  }
}

export function runtimePreferenceFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimePreference {
  const v = env.CLEARFRAME_RUNTIME;
  return v === 'tfjs' || v === 'onnxruntime' ? v : 'auto';
}

/** CLEARFRAME_PRECISION=float32 (or float) keeps int8 models from running. */
export function precisionFromEnv(env: NodeJS.ProcessEnv = process.env): OpenOptions['precision'] {
  const v = env.CLEARFRAME_PRECISION;
  return v === 'float32' || v === 'float' ? 'float32' : 'auto';
}

/**
 * The 1-tile input a GPU provider must answer like the CPU does before it runs this model: 64×64
 * of a fixed pattern in 0..1 (plus the σ plane at 25/255 for noise-level models).
 */
export function probeTile(card: ModelCard): NhwcTensor {
  const side = card.sizeMultiple * Math.ceil(64 / card.sizeMultiple);
  const inC = card.channels + (card.noiseLevelInput ? 1 : 0);
  const data = Float32Array.from({ length: side * side * inC }, (_, i) => (card.noiseLevelInput && i % inC === inC - 1 ? 25 / 255 : ((i * 7919) % 256) / 255));
  return { data, shape: [1, side, side, inC] };
}

/** Runs one small zero tile: catches wrong channel counts and unloadable weights at open time. */
async function probe(runtime: InferenceRuntime, card: ModelCard): Promise<void> {
  const side = card.sizeMultiple * Math.max(1, Math.ceil(8 / card.sizeMultiple));
  const inChannels = card.channels + (card.noiseLevelInput ? 1 : 0);
  const out = await runtime.run({ data: new Float32Array(side * side * inChannels), shape: [1, side, side, inChannels] });
  if (out.shape[3] !== card.channels) throw new Error(`the network outputs ${out.shape[3]} channels, the card says ${card.channels}`);
  if (out.shape[1] !== side || out.shape[2] !== side) throw new Error(`a ${side}×${side} input gave ${out.shape[2]}×${out.shape[1]}`);
  if (!out.data.every(Number.isFinite)) throw new Error('the network outputs NaN or infinite values');
}
