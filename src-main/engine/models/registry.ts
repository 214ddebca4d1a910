// The model registry: the catalog (model-catalog.ts: list, validate, resolve, import, delete) plus
// opening a model to run it (ONNX Runtime, else tfjs). A model that cannot be read or run fails
// with an error naming it; callers that just want to denoise use openWithFallback() to land on the
// default model for the image's channel count (the user's choice from the settings when it is
// usable, else the automatic one). Engine side: this module loads the inference runtimes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '../contract/engine-error.js';
import type { ModelCard, ModelSummary } from '../../../src-shared/schemas/models.js';
import { NOISE_MAP_ONNX, openNoiseMap, type NoiseLevelEstimator } from '../infer/noise-map.js';
import { createOnnxRuntime, createTfjsRuntime, type InferenceRuntime, type NhwcTensor } from '../infer/runtime.js';
import { ModelCatalog, usableInt8Model, type ModelRegistryDirs } from '../contract/model-catalog.js';
import { MODEL_JSON, MODEL_ONNX, loadLayersModelFromFolder } from './model-folder.js';

export {
  describeModelFolder,
  ModelCatalog,
  modelRefFromArg,
  trainedForCameraNoise,
  usableInt8Model,
  type ModelProblem,
  type ModelRegistryDirs,
} from '../contract/model-catalog.js';

/** A model ready to run: its summary and the runtime executing its network. */
export interface LoadedModel {
  summary: ModelSummary;
  card: ModelCard;
  runtime: InferenceRuntime;
  /** Auto's learned noise-level estimator, given to noise-level models when it is shipped (shared, not disposed with the model). */
  noiseMap?: NoiseLevelEstimator;
  /** Why ONNX Runtime was not used, when the tfjs fallback runs. */
  runtimeFallbackReason?: string;
}

export type RuntimePreference = 'auto' | 'onnxruntime' | 'tfjs';

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
export function openOptionsFromSettings(
  settings: { runtime: string; threads: number },
  precision: OpenOptions['precision'] = precisionFromEnv(),
): { options: OpenOptions; preference: RuntimePreference } {
  const options: OpenOptions = { precision, ...(settings.threads > 0 ? { threads: settings.threads } : {}) };
  const [runtime, provider] = settings.runtime.split(':');
  if (runtime === 'tfjs') return { options, preference: 'tfjs' };
  if (runtime === 'onnxruntime' && provider)
    return {
      options: { ...options, providers: provider === 'cpu' ? ['cpu'] : [provider, 'cpu'] },
      preference: 'onnxruntime',
    };
  return { options, preference: runtimePreferenceFromEnv() };
}

export class ModelRegistry extends ModelCatalog {
  constructor(
    dirs: ModelRegistryDirs,
    readonly openOptions: OpenOptions = { precision: precisionFromEnv() },
  ) {
    super(dirs);
  }

  private noiseMap?: Promise<NoiseLevelEstimator | undefined>;

  /**
   * The shipped noise-level map estimator (shippedDir/noise-map.onnx), opened once for every model
   * of this registry; undefined when it is not shipped or cannot be opened (Auto then falls back to
   * the Haar heuristic, noise-estimate.ts).
   */
  noiseLevelEstimator(): Promise<NoiseLevelEstimator | undefined> {
    const file = join(this.dirs.shippedDir, NOISE_MAP_ONNX);
    this.noiseMap ??= existsSync(file)
      ? openNoiseMap(file, this.openOptions.threads).catch(() => undefined)
      : Promise.resolve(undefined);
    return this.noiseMap;
  }

  /** Opens a model's runtime and checks that it really maps the card's channels (a 1-tile probe). */
  async open(
    summary: ModelSummary,
    preference: RuntimePreference = runtimePreferenceFromEnv(),
    openOptions: OpenOptions = this.openOptions,
  ): Promise<LoadedModel> {
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
        runtime = await createTfjsRuntime(await loadLayersModelFromFolder(folder, card));
      } catch (error) {
        failures.push(`${MODEL_JSON}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    if (!runtime)
      throw new EngineError(
        'unsupported',
        `Model "${card.id}" cannot be loaded (${failures.join('; ') || 'no runnable file'})`,
        card.id,
      );
    try {
      await probe(runtime, card);
    } catch (error) {
      await runtime.dispose();
      throw new EngineError(
        'unsupported',
        `Model "${card.id}" is incompatible with its card: ${(error as Error).message}`,
        card.id,
      );
    }
    const noiseMap = card.noiseLevelInput ? await this.noiseLevelEstimator() : undefined;
    return {
      summary,
      card,
      runtime,
      ...(noiseMap && { noiseMap }),
      ...(runtimeFallbackReason && runtime.runtime === 'tfjs' && { runtimeFallbackReason }),
    };
  }

  /**
   * Opens `ref`; without one, the user's `preferredDefault` for `channels` ('' → the automatic
   * default). When that model is unusable — broken, or a preferred default that is missing or made
   * for the other channel count — opens the automatic default instead and says why. A model named
   * by `ref` that does not exist is an error, not a reason to substitute.
   */
  async openWithFallback(
    ref: string | undefined,
    channels: 1 | 3,
    preferredDefault = '',
    engine?: { options: OpenOptions; preference: RuntimePreference },
  ): Promise<{ model: LoadedModel; fallbackFrom?: string; reason?: string }> {
    const open = (summary: ModelSummary): Promise<LoadedModel> =>
      engine ? this.open(summary, engine.preference, engine.options) : this.open(summary);
    const requested = ref ?? (preferredDefault || undefined);
    try {
      const summary =
        ref !== undefined
          ? await this.resolve(ref, channels)
          : requested !== undefined
            ? await this.preferredDefault(requested, channels)
            : await this.defaultFor(channels);
      return { model: await open(summary) };
    } catch (error) {
      // Nothing to fall back to when the automatic default itself failed.
      if (
        !(error instanceof EngineError) ||
        requested === undefined ||
        (error.code === 'not-found' && ref !== undefined)
      )
        throw error;
      const fallback = await this.defaultFor(channels);
      if (fallback.card.id === requested) throw error;
      try {
        return { model: await open(fallback), fallbackFrom: requested, reason: error.message };
      } catch (fallbackError) {
        // Say why the requested model failed, not only why its stand-in did.
        const why = fallbackError instanceof Error ? fallbackError.message : String(fallbackError);
        throw new EngineError(
          'unsupported',
          `${error.message}; the default model "${fallback.card.id}" cannot be used either: ${why}`,
          requested,
        );
      }
    }
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
 * A 1-tile input of a fixed pattern in 0..1 (plus the σ plane at 25/255 for noise-level models),
 * `minSide` rounded up to the model's size multiple: by default the 64×64 tile a GPU provider must
 * answer like the CPU does before it runs this model.
 */
export function probeTile(card: ModelCard, minSide = 64): NhwcTensor {
  const side = card.sizeMultiple * Math.ceil(minSide / card.sizeMultiple);
  const inC = card.channels + (card.noiseLevelInput ? 1 : 0);
  const data = Float32Array.from({ length: side * side * inC }, (_, i) =>
    card.noiseLevelInput && i % inC === inC - 1 ? 25 / 255 : ((i * 7919) % 256) / 255,
  );
  return { data, shape: [1, side, side, inC] };
}

/** Runs one small zero tile: catches wrong channel counts and unloadable weights at open time. */
async function probe(runtime: InferenceRuntime, card: ModelCard): Promise<void> {
  const side = card.sizeMultiple * Math.max(1, Math.ceil(8 / card.sizeMultiple));
  const inChannels = card.channels + (card.noiseLevelInput ? 1 : 0);
  const out = await runtime.run({
    data: new Float32Array(side * side * inChannels),
    shape: [1, side, side, inChannels],
  });
  if (out.shape[3] !== card.channels)
    throw new Error(`the network outputs ${out.shape[3]} channels, the card says ${card.channels}`);
  if (out.shape[1] !== side || out.shape[2] !== side)
    throw new Error(`a ${side}×${side} input gave ${out.shape[2]}×${out.shape[1]}`);
  if (!out.data.every(Number.isFinite)) throw new Error('the network outputs NaN or infinite values');
}
