// Convolution gradients rewritten as forward convolutions. On wasm, forward Conv2D runs through
// XNNPACK at 20–35 GFLOP/s while the built-in Conv2DBackpropInput manages ~3 and an im2col filter
// gradient ~1 (toolchain.md), so expressing both gradients as one forward conv each is the main
// training speed-up. Pure tf-op functions (NHWC, dilation 1), usable on any backend and testable
// against the cpu backend's reference kernels.
import * as tf from '@tensorflow/tfjs-core';

export type ConvPad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

interface PadInfo {
  top: number;
  left: number;
  outHeight: number;
  outWidth: number;
}

function padInfoFor(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  strides: [number, number],
  pad: ConvPad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): PadInfo {
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, dimRoundingMode);
  return { top: info.padInfo.top, left: info.padInfo.left, outHeight: info.outHeight, outWidth: info.outWidth };
}

type Explicit = tf.backend_util.ExplicitPadding;

/**
 * Frames the spatial axes of an NHWC tensor for a 'valid'-style conv: negative amounts crop (a
 * slice), positive amounts become the conv's own explicit zero padding, so no padded copy is made.
 */
function frame(
  t: tf.Tensor4D,
  top: number,
  bottom: number,
  left: number,
  right: number,
): { tensor: tf.Tensor4D; pad: Explicit } {
  const [n, h, w, c] = t.shape;
  const crop = [Math.max(0, -top), Math.max(0, -bottom), Math.max(0, -left), Math.max(0, -right)] as const;
  const tensor = crop.some((v) => v > 0)
    ? tf.slice(t, [0, crop[0], crop[2], 0], [n, h - crop[0] - crop[1], w - crop[2] - crop[3], c])
    : t;
  return {
    tensor,
    pad: [
      [0, 0],
      [Math.max(0, top), Math.max(0, bottom)],
      [Math.max(0, left), Math.max(0, right)],
      [0, 0],
    ],
  };
}

/**
 * dL/dW of y = conv2d(x, W, strides, pad): a forward conv of x seen as [Cin, H, W, N] with dy seen as
 * the filter [Ho, Wo, N, Cout], dilated by the forward stride; its output is [Cin, kh, kw, Cout].
 */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: [number, number],
  pad: ConvPad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw] = filterShape;
    const [sh, sw] = strides;
    const [, h, w] = x.shape;
    const [, ho, wo] = dy.shape;
    const info = padInfoFor(x.shape, filterShape, strides, pad, dimRoundingMode);
    const xT = tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D; // [Cin, H, W, N]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [Ho, Wo, N, Cout]
    // x rows used: -top … (ho-1)·sh + kh - 1 - top; frame x to exactly that window.
    const framed = frame(
      xT,
      info.top,
      (ho - 1) * sh + kh - info.top - h,
      info.left,
      (wo - 1) * sw + kw - info.left - w,
    );
    const g = tf.conv2d(framed.tensor, dyT, 1, framed.pad, 'NHWC', [sh, sw]); // [Cin, kh, kw, Cout]
    return tf.transpose(g, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

/**
 * Where each output phase of a transposed conv reads its taps, along one axis. Input row
 * ih = s·m + r receives tap kh from dy row m − d with d = (kh − r − top) / s; over all phases d spans
 * dmin…dmax, and the phase conv reads dy through a window of dmax − dmin + 1 rows.
 */
interface AxisPhases {
  /** taps[r][t]: the kernel index phase r applies at window position t, or -1 (a zero tap). */
  taps: number[][];
  /** dy rows to add above (negative: crop) and below. */
  before: number;
  after: number;
  /** Phase rows per phase (ceil(size / stride)). */
  rows: number;
}

function axisPhases(size: number, k: number, s: number, top: number, outSize: number): AxisPhases {
  let dmin = Infinity;
  let dmax = -Infinity;
  for (let r = 0; r < s; r++) {
    for (let kh = 0; kh < k; kh++) {
      if ((((kh - r - top) % s) + s) % s !== 0) continue;
      const d = (kh - r - top) / s;
      dmin = Math.min(dmin, d);
      dmax = Math.max(dmax, d);
    }
  }
  const length = dmax - dmin + 1;
  const taps = Array.from({ length: s }, (_, r) =>
    Array.from({ length }, (_, t) => {
      const kh = s * (dmax - t) + r + top;
      return kh >= 0 && kh < k ? kh : -1;
    }),
  );
  const rows = Math.ceil(size / s);
  return { taps, before: dmax, after: rows + length - 1 - dmax - outSize, rows };
}

/**
 * The filter of the phase convolution: for each output phase (rh, rw), the taps of W that land on
 * it, in/out channels swapped, zero where none; phases concatenated on the output channels in
 * (rh, rw, Cin) order. Built by one gather from W's taps plus a zero tap.
 */
function phaseFilter(filter: tf.Tensor4D, rowsAxis: AxisPhases, colsAxis: AxisPhases): tf.Tensor4D {
  const [kh, kw, cin, cout] = filter.shape;
  const lh = rowsAxis.taps[0]!.length;
  const lw = colsAxis.taps[0]!.length;
  const zero = kh * kw;
  const index: number[] = [];
  for (const rowTaps of rowsAxis.taps) {
    for (const colTaps of colsAxis.taps) {
      for (const i of rowTaps) for (const j of colTaps) index.push(i < 0 || j < 0 ? zero : i * kw + j);
    }
  }
  const taps = tf.concat(
    [tf.reshape(tf.transpose(filter, [0, 1, 3, 2]), [kh * kw, cout, cin]), tf.zeros([1, cout, cin])],
    0,
  );
  const phases = rowsAxis.taps.length * colsAxis.taps.length;
  const gathered = tf.reshape(tf.gather(taps, tf.tensor1d(index, 'int32')), [phases, lh, lw, cout, cin]);
  return tf.reshape(tf.transpose(gathered, [1, 2, 3, 0, 4]), [lh, lw, cout, phases * cin]);
}

/**
 * dL/dx of y = conv2d(x, W, strides, pad) — which is also the forward pass of a transposed conv.
 * One forward conv of dy computes every output phase at once; a reshape/transpose interleaves them.
 * Phase offsets absorb the padding, so in the common cases nothing is padded, cropped or sliced.
 */
export function conv2dInputGradient(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  inputShape: [number, number, number, number],
  strides: [number, number],
  pad: ConvPad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, cin] = inputShape;
    const [kh, kw] = filter.shape;
    const [sh, sw] = strides;
    const [, ho, wo] = dy.shape;
    const info = padInfoFor(inputShape, filter.shape, strides, pad, dimRoundingMode);
    const rowsAxis = axisPhases(h, kh, sh, info.top, ho);
    const colsAxis = axisPhases(w, kw, sw, info.left, wo);
    const framed = frame(dy, rowsAxis.before, rowsAxis.after, colsAxis.before, colsAxis.after);
    const phases = tf.conv2d(framed.tensor, phaseFilter(filter, rowsAxis, colsAxis), 1, framed.pad); // [N, rows, cols, sh·sw·Cin]
    if (sh === 1 && sw === 1) return phases;
    const split = tf.reshape(phases, [n, rowsAxis.rows, colsAxis.rows, sh, sw, cin]);
    const full = tf.reshape(tf.transpose(split, [0, 1, 3, 2, 4, 5]), [
      n,
      rowsAxis.rows * sh,
      colsAxis.rows * sw,
      cin,
    ]) as tf.Tensor4D;
    return full.shape[1] === h && full.shape[2] === w ? full : tf.slice(full, [0, 0, 0, 0], [n, h, w, cin]);
  });
}

/**
 * tf.tile for the common case where every tiled axis has size 1 (as in the BatchNorm gradient): a
 * broadcast add, which wasm does far faster than its Tile. Returns undefined when that does not hold.
 */
export function tileByBroadcast(x: tf.Tensor, reps: number[]): tf.Tensor | undefined {
  if (reps.some((r, axis) => r > 1 && x.shape[axis] !== 1)) return undefined;
  const outShape = x.shape.map((size, axis) => size * (reps[axis] ?? 1));
  return tf.tidy(() => tf.add(x, tf.zeros(outShape, x.dtype)));
}
