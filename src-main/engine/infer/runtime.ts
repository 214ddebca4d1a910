// Runs a model's network on NHWC float32 tensors. ONNX Runtime first (≈25× faster than tfjs-wasm
// on our machines), with execution providers tried in order — DirectML on Windows, CUDA where its
// libraries load, then CPU — each on its own so we know (and report) which one actually runs.
// tfjs on the best backend of initBackend() is the fallback when ONNX Runtime cannot load or a
// model folder has no model.onnx.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../backend.js';
import { ONNX_INPUT, ONNX_OUTPUT } from './onnx-export.js';

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
  run(input: NhwcTensor): Promise<NhwcTensor>;
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
    const bindingDir = join(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
    return existsSync(join(bindingDir, process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so'));
  } catch {
    return false;
  }
}

/** Execution providers worth trying on this platform, fastest first. */
export function candidateProviders(platform: NodeJS.Platform = process.platform, listed: readonly string[] = [], hasCuda = cudaProviderInstalled()): string[] {
  const out: string[] = [];
  if (platform === 'win32') out.push('dml');
  if ((platform === 'win32' || platform === 'linux') && listed.includes('cuda') && hasCuda) out.push('cuda');
  out.push('cpu');
  return out;
}

/** Providers that failed once in this process are not tried again (each try costs a native load). */
const failedProviders = new Set<string>();

export interface OnnxRuntimeOptions {
  /** Intra-op threads; defaults to every core this process may use. */
  threads?: number;
  /** Providers to try in order; defaults to candidateProviders(). */
  providers?: readonly string[];
}

export async function createOnnxRuntime(model: string | Uint8Array, options: OnnxRuntimeOptions = {}): Promise<InferenceRuntime> {
  const ort = await loadOnnxRuntime();
  const listed = ort.listSupportedBackends().map((b) => b.name);
  const providers = options.providers ?? candidateProviders(process.platform, listed);
  const intraOpNumThreads = options.threads ?? availableParallelism();
  const failures: string[] = [];
  const failedHere: string[] = [];
  for (const provider of providers) {
    if (failedProviders.has(provider) && provider !== providers[providers.length - 1]) continue;
    try {
      const sessionOptions = { executionProviders: [provider], intraOpNumThreads, graphOptimizationLevel: 'all' as const };
      const session = typeof model === 'string'
        ? await ort.InferenceSession.create(model, sessionOptions)
        : await ort.InferenceSession.create(model, sessionOptions);
      // The model loads here, so the earlier providers failed for themselves, not for this model.
      for (const p of failedHere) failedProviders.add(p);
      return {
        runtime: 'onnxruntime',
        provider,
        async run(input) {
          const feed = new ort.Tensor('float32', input.data, input.shape);
          const result = await session.run({ [ONNX_INPUT]: feed });
          const out = result[ONNX_OUTPUT]!;
          const data = out.data as Float32Array;
          const shape = out.dims as unknown as [number, number, number, number];
          feed.dispose();
          return { data, shape: [shape[0], shape[1], shape[2], shape[3]] };
        },
        dispose: () => session.release(),
      };
    } catch (error) {
      failedHere.push(provider);
      failures.push(`${provider}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }
  throw new Error(`ONNX Runtime could not create a session (${failures.join('; ')})`);
}

/** Wraps a tfjs LayersModel (already loaded) as a runtime on the best tfjs backend. */
export async function createTfjsRuntime(model: tfl.LayersModel): Promise<InferenceRuntime> {
  const backend = await initBackend();
  return {
    runtime: 'tfjs',
    provider: backend,
    async run(input) {
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
