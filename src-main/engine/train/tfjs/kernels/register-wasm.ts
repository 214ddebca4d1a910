// Replaces wasm's missing or slow training kernels with the forward-convolution formulations of
// conv-gradients.ts. Registered through the backend ladder's activation hook, so anything that
// initialises the wasm backend (trainer, worker, test) gets them; idempotent.
import * as tf from '@tensorflow/tfjs-core';
import { onBackendActivated } from '../../../infer/tfjs-backend.js';
import { conv2dFilterGradient, conv2dInputGradient, tileByBroadcast, type ConvPad } from './conv-gradients.js';

const BACKEND = 'wasm';

/** Kernel inputs arrive as Tensors from the engine; wrap a bare TensorInfo so tf ops can use it. */
function asTensor<R extends tf.Rank>(info: tf.TensorInfo): { tensor: tf.Tensor<R>; owned: boolean } {
  if (info instanceof tf.Tensor) return { tensor: info as tf.Tensor<R>, owned: false };
  return { tensor: tf.engine().makeTensorFromDataId(info.dataId, info.shape, info.dtype) as tf.Tensor<R>, owned: true };
}

function withTensors<T>(infos: tf.TensorInfo[], body: (tensors: tf.Tensor[]) => T): T {
  const wrapped = infos.map((info) => asTensor(info));
  try {
    return body(wrapped.map((w) => w.tensor));
  } finally {
    for (const w of wrapped) if (w.owned) w.tensor.dispose();
  }
}

function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}

interface ConvAttrs {
  strides: number | [number, number];
  pad: ConvPad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function override(kernelName: string, kernelFunc: (original: tf.KernelFunc) => tf.KernelFunc): void {
  const existing = tf.getKernel(kernelName, BACKEND);
  if (existing && (existing.kernelFunc as { clearframe?: boolean }).clearframe) return;
  const original: tf.KernelFunc =
    existing?.kernelFunc ??
    (() => {
      throw new Error(`wasm has no ${kernelName} kernel for this case`);
    });
  const replacement = kernelFunc(original);
  (replacement as { clearframe?: boolean }).clearframe = true;
  if (existing) tf.unregisterKernel(kernelName, BACKEND);
  tf.registerKernel({
    kernelName,
    backendName: BACKEND,
    kernelFunc: replacement,
    ...(existing?.setupFunc ? { setupFunc: existing.setupFunc } : {}),
  });
}

/** The kernel names this module replaces on wasm (for tests and the profile report). */
export const FAST_WASM_KERNELS = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Tile'] as const;

/**
 * `CLEARFRAME_WASM_GRADIENTS=builtin` keeps wasm's own Conv2DBackpropInput and Tile and registers
 * only the filter gradient wasm lacks — the "before" of `npm run bench:train`.
 */
function builtinRequested(): boolean {
  return process.env.CLEARFRAME_WASM_GRADIENTS === 'builtin';
}

export function registerFastWasmKernels(): void {
  override('Conv2DBackpropFilter', (original) => (args) => {
    const attrs = args.attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
    if (attrs.dataFormat === 'NCHW') return original(args);
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    return withTensors([x, dy], ([xt, dyt]) =>
      conv2dFilterGradient(
        xt as tf.Tensor4D,
        dyt as tf.Tensor4D,
        attrs.filterShape,
        pair(attrs.strides),
        attrs.pad,
        attrs.dimRoundingMode,
      ),
    );
  });
  if (builtinRequested()) return;
  override('Conv2DBackpropInput', (original) => (args) => {
    const attrs = args.attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
    if (attrs.dataFormat === 'NCHW') return original(args);
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    return withTensors([dy, filter], ([dyt, ft]) =>
      conv2dInputGradient(
        dyt as tf.Tensor4D,
        ft as tf.Tensor4D,
        attrs.inputShape,
        pair(attrs.strides),
        attrs.pad,
        attrs.dimRoundingMode,
      ),
    );
  });
  override('Tile', (original) => (args) => {
    const { reps } = args.attrs as unknown as { reps: number[] };
    const { x } = args.inputs as { x: tf.TensorInfo };
    const fast = withTensors([x], ([xt]) => tileByBroadcast(xt!, reps));
    return fast ?? original(args);
  });
}

onBackendActivated((id) => {
  if (id === 'wasm') registerFastWasmKernels();
});
