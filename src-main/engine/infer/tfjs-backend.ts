// Picks the fastest TensorFlow.js backend this machine has, at run time:
//   @tensorflow/tfjs-node-gpu (CUDA) → @tensorflow/tfjs-node (native CPU) → wasm → cpu.
// The two native packages are optional installs that download libtensorflow; they are never needed
// to build or test, and are imported only by name here so bundlers and tsc do not require them.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

export type TfBackendId = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';
export const BACKEND_LADDER: readonly TfBackendId[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

export interface BackendProbe {
  id: TfBackendId;
  available: boolean;
  reason?: string;
}

const NATIVE_PACKAGE: Record<'tfjs-node-gpu' | 'tfjs-node', string> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
};

/** Hooks run once a backend is active (e.g. the trainer registers fast wasm gradient kernels). */
const onActivate: Array<(id: TfBackendId) => void> = [];
export function onBackendActivated(hook: (id: TfBackendId) => void): void {
  onActivate.push(hook);
  if (active) hook(active);
}

let active: TfBackendId | undefined;
let pending: Promise<TfBackendId> | undefined;

async function tryActivate(id: TfBackendId): Promise<BackendProbe> {
  try {
    if (id === 'tfjs-node-gpu' || id === 'tfjs-node') {
      const name = NATIVE_PACKAGE[id];
      await import(/* @vite-ignore */ name); // registers the 'tensorflow' backend
      if (!(await tf.setBackend('tensorflow')))
        return { id, available: false, reason: `${name} loaded but did not initialise` };
      return { id, available: true };
    }
    if (id === 'wasm') {
      await import('@tensorflow/tfjs-backend-wasm');
      if (!(await tf.setBackend('wasm'))) return { id, available: false, reason: 'wasm backend failed to initialise' };
      return { id, available: true };
    }
    if (!(await tf.setBackend('cpu'))) return { id, available: false, reason: 'cpu backend failed to initialise' };
    return { id, available: true };
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    return { id, available: false, reason: message };
  }
}

/**
 * Activates the first backend of the ladder that works (or exactly `only`, for tests and benchmarks)
 * and returns its id. Safe to call many times: the choice is made once per process.
 */
export async function initBackend(only?: TfBackendId): Promise<TfBackendId> {
  if (only !== undefined) {
    const probe = await tryActivate(only);
    if (!probe.available) throw new Error(`tfjs backend ${only} is not available: ${probe.reason}`);
    await tf.ready();
    activate(only);
    return only;
  }
  if (active) return active;
  pending ??= (async () => {
    const envChoice = process.env.CLEARFRAME_TF_BACKEND as TfBackendId | undefined;
    const ladder = envChoice && BACKEND_LADDER.includes(envChoice) ? [envChoice] : BACKEND_LADDER;
    for (const id of ladder) {
      const probe = await tryActivate(id);
      if (probe.available) {
        await tf.ready();
        activate(id);
        return id;
      }
    }
    throw new Error('No TensorFlow.js backend could be initialised (tried ' + ladder.join(', ') + ').');
  })();
  return pending;
}

function activate(id: TfBackendId): void {
  active = id;
  for (const hook of onActivate) hook(id);
}

export function activeBackend(): TfBackendId | undefined {
  return active;
}

/** Which native tfjs packages are installed, without activating anything (for app:info). */
export async function probeNativeBackends(): Promise<BackendProbe[]> {
  const probes: BackendProbe[] = [];
  for (const id of ['tfjs-node-gpu', 'tfjs-node'] as const) {
    try {
      const { createRequire } = await import('node:module');
      createRequire(import.meta.url).resolve(NATIVE_PACKAGE[id]);
      probes.push({ id, available: true });
    } catch {
      probes.push({ id, available: false, reason: `${NATIVE_PACKAGE[id]} is not installed` });
    }
  }
  probes.push({ id: 'wasm', available: true }, { id: 'cpu', available: true });
  return probes;
}
