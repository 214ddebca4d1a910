// Runs a model's network on NHWC float32 tensors. ONNX Runtime first (≈25× faster than tfjs-wasm
// on our machines), with execution providers tried in order — DirectML on Windows, CUDA where its
// library is installed, WebGPU, then CPU — each on its own and, given a probe tile, checked
// against CPU's answer, so we know (and report) which one actually runs and why others were skipped.
// tfjs on the best backend of initBackend() is the fallback when ONNX Runtime cannot load or a
// model folder has no model.onnx.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from './tfjs-backend.js';
import { ONNX_INPUT, ONNX_OUTPUT } from '../onnx/onnx-export.js';
import { EngineError } from '../contract/engine-error.js';
import { webgpuAdapter } from './gpu-adapter.js';
import { OrtSessionThread } from './ort-session-thread.js';

/** A batch of images in NHWC order. */
export interface NhwcTensor {
  data: Float32Array;
  shape: [number, number, number, number];
}

export interface InferenceRuntime {
  /** 'onnxruntime' or 'tfjs'. */
  readonly runtime: 'onnxruntime' | 'tfjs';
  /** The execution provider (cpu, cuda, dml) or tfjs backend (wasm, cpu, tfjs-node…) that runs. */
  readonly provider: string;
  /** 'int8' when the quantised model runs (CPU provider only), else 'float32'. */
  readonly precision: 'float32' | 'int8';
  /** Providers tried before this one and skipped, each with why ("webgpu: could not start (…)"). */
  readonly skipped?: readonly string[];
  /**
   * Runs the network on `input`. An abort of `signal` rejects with `cancelled` as soon as it is
   * seen (ONNX Runtime: at once, the tile in flight is dropped; tfjs: before the run).
   */
  run(input: NhwcTensor, signal?: AbortSignal): Promise<NhwcTensor>;
  dispose(): Promise<void>;
}

type OrtModule = typeof import('onnxruntime-node');

let ortModule: Promise<OrtModule> | undefined;
/** Loads onnxruntime-node lazily: a missing or broken native binary must not break tfjs users. */
export function loadOnnxRuntime(): Promise<OrtModule> {
  ortModule ??= import('onnxruntime-node');
  return ortModule;
}

/**
 * True when onnxruntime-node's CUDA provider library sits beside its binding (it is a separate
 * install); trying CUDA without it only logs a native error on every session.
 */
function cudaProviderInstalled(): boolean {
  try {
    const bindingDir = join(
      dirname(createRequire(import.meta.url).resolve('onnxruntime-node')),
      '..',
      'bin',
      'napi-v6',
      process.platform,
      process.arch,
    );
    return existsSync(
      join(
        bindingDir,
        process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so',
      ),
    );
  } catch {
    return false;
  }
}

/**
 * Execution providers worth trying on this platform, fastest first: Windows DirectML → WebGPU →
 * CPU (where this build bundles WebGPU: `listed`); Linux CUDA (only where its library is installed)
 * → CPU; elsewhere CPU. On Linux WebGPU runs only when asked (Settings → Engine, `--provider
 * webgpu`, `clearframe models --providers`): trying it loads Dawn and the Vulkan loader, which
 * print their own warnings (C++ source paths, "XDG_RUNTIME_DIR is invalid") into every run's
 * terminal, and on a machine without a GPU it only ever finds an emulated one.
 */
export function candidateProviders(
  platform: NodeJS.Platform = process.platform,
  listed: readonly string[] = [],
  hasCuda = cudaProviderInstalled(),
): string[] {
  const out: string[] = [];
  if (platform === 'win32') out.push('dml');
  if (platform === 'linux' && listed.includes('cuda') && hasCuda) out.push('cuda');
  if (platform === 'win32' && listed.includes('webgpu')) out.push('webgpu');
  out.push('cpu');
  return out;
}

/**
 * How far a GPU provider's output on the probe tile may be from the CPU provider's (max |Δ| on the
 * 0..1 image scale): a quarter of an 8-bit level. float32 providers agree to ~1e-6; one that
 * computes in float16 or is broken does not pass.
 */
export const PROVIDER_TOLERANCE = 1 / 1024;

/**
 * Providers that could not start in this process, with why: not tried again (each try costs a
 * native load) but still reported.
 */
const failedProviders = new Map<string, string>();

export interface OnnxRuntimeOptions {
  /** Intra-op threads; defaults to every core this process may use (0 = the same). */
  threads?: number;
  /** Providers to try in order; defaults to candidateProviders(). */
  providers?: readonly string[];
  /**
   * The int8 (QDQ) version of the model, run instead of it when the CPU provider is the one that
   * runs: integer kernels pay off there, while GPU providers are faster (and exact) in float.
   */
  int8Model?: string | Uint8Array;
  /**
   * A 1-tile input that every provider other than CPU must answer like the CPU provider (float
   * model) does, within PROVIDER_TOLERANCE, before it is used; one that fails is skipped and reported.
   */
  probe?: NhwcTensor;
}

/** "onnxruntime:cpu", "onnxruntime:cpu:int8", "tfjs:wasm"…: what runs a model, for reports. */
export function runtimeLabel(runtime: Pick<InferenceRuntime, 'runtime' | 'provider' | 'precision'>): string {
  return `${runtime.runtime}:${runtime.provider}${runtime.precision === 'int8' ? ':int8' : ''}`;
}

/**
 * An error's first line, in words: ONNX Runtime's native checks read "/onnxruntime_src/…/x.cc:136
 * <signature> <condition> was false. <what happened>", of which only the last part helps a person.
 */
export function firstLine(error: unknown): string {
  const line = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  const enforced = /^\S+\.(?:cc|cpp|h):\d+ .* was false\. (.+)$/.exec(line);
  return enforced ? enforced[1]! : line;
}

/** Largest |a − b|; Infinity when shapes differ or a value is not finite. */
export function maxAbsDifference(a: NhwcTensor, b: NhwcTensor): number {
  if (a.shape.join() !== b.shape.join()) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i]! - b.data[i]!);
    if (!(d <= worst)) worst = Number.isFinite(d) ? d : Infinity;
  }
  return worst;
}

async function openSession(
  file: string | Uint8Array,
  provider: string,
  intraOpNumThreads: number,
  precision: InferenceRuntime['precision'],
  skipped: string[],
): Promise<InferenceRuntime> {
  // In a thread of its own: the engine's main thread stays free while a tile runs (see ort-session-worker.ts).
  const thread = await OrtSessionThread.open({ model: file, provider, intraOpNumThreads });
  return {
    runtime: 'onnxruntime',
    provider,
    precision,
    skipped,
    async run(input, signal) {
      const out = (await thread.run({ [ONNX_INPUT]: { data: input.data, dims: input.shape } }, [ONNX_OUTPUT], signal))[
        ONNX_OUTPUT
      ]!;
      const [n, h, w, c] = out.dims as [number, number, number, number];
      return { data: out.data, shape: [n, h, w, c] };
    },
    dispose: () => thread.release(),
  };
}

export async function createOnnxRuntime(
  model: string | Uint8Array,
  options: OnnxRuntimeOptions = {},
): Promise<InferenceRuntime> {
  const ort = await loadOnnxRuntime();
  const listed = ort.listSupportedBackends().map((b) => b.name);
  const skipped: string[] = [];
  let providers = options.providers ?? candidateProviders(process.platform, listed);
  // Automatic never picks an emulated GPU (SwiftShader): it computes on the CPU, slower than the CPU provider.
  const emulated = options.providers ? undefined : webgpuAdapter();
  if (emulated?.emulated && providers.includes('webgpu')) {
    providers = providers.filter((p) => p !== 'webgpu');
    skipped.push(`webgpu: its adapter is ${emulated.name}; choose it in Settings to use it anyway`);
  }
  const intraOpNumThreads = options.threads || availableParallelism();
  const failedHere = new Map<string, string>();
  // The CPU float answer to the probe, computed once when a GPU provider needs checking.
  let reference: NhwcTensor | undefined;
  const cpuReference = async (probe: NhwcTensor): Promise<NhwcTensor> => {
    if (reference) return reference;
    const cpu = await openSession(model, 'cpu', intraOpNumThreads, 'float32', []);
    try {
      reference = await cpu.run(probe);
    } finally {
      await cpu.dispose();
    }
    return reference;
  };
  for (const provider of providers) {
    const earlier = failedProviders.get(provider);
    if (earlier !== undefined && provider !== providers[providers.length - 1]) {
      skipped.push(`${provider}: ${earlier}`);
      continue;
    }
    let runtime: InferenceRuntime;
    try {
      const int8 = provider === 'cpu' && options.int8Model !== undefined;
      runtime = await openSession(
        int8 ? options.int8Model! : model,
        provider,
        intraOpNumThreads,
        int8 ? 'int8' : 'float32',
        skipped,
      );
    } catch (error) {
      failedHere.set(provider, `could not start (${firstLine(error)})`);
      skipped.push(`${provider}: could not start (${firstLine(error)})`);
      continue;
    }
    if (provider !== 'cpu' && options.probe) {
      let why: string | undefined;
      try {
        const diff = maxAbsDifference(await runtime.run(options.probe), await cpuReference(options.probe));
        if (!(diff <= PROVIDER_TOLERANCE))
          why = `wrong answer on the probe tile (max |Δ| vs cpu ${diff.toExponential(2)} > ${PROVIDER_TOLERANCE.toExponential(2)})`;
      } catch (error) {
        why = `failed on the probe tile (${firstLine(error)})`;
      }
      if (why) {
        await runtime.dispose();
        skipped.push(`${provider}: ${why}`);
        continue;
      }
    }
    // The model loads here, so the earlier providers failed for themselves, not for this model.
    for (const [p, why] of failedHere) failedProviders.set(p, why);
    return runtime;
  }
  throw new Error(`ONNX Runtime could not create a session (${skipped.join('; ')})`);
}

/** Wraps a tfjs LayersModel (already loaded) as a runtime on the best tfjs backend. */
export async function createTfjsRuntime(model: tfl.LayersModel): Promise<InferenceRuntime> {
  const backend = await initBackend();
  return {
    runtime: 'tfjs',
    provider: backend,
    precision: 'float32',
    async run(input, signal) {
      if (signal?.aborted) throw new EngineError('cancelled', 'Denoising was cancelled');
      const output = tf.tidy(() => model.predict(tf.tensor4d(input.data, input.shape)) as tf.Tensor4D);
      try {
        const data = (await output.data()) as Float32Array;
        const [n, h, w, c] = output.shape;
        return { data, shape: [n, h, w, c] };
      } finally {
        output.dispose();
      }
    },
    async dispose() {
      model.dispose();
    },
  };
}
