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

/** Zero-pads (positive amounts) or crops (negative amounts) the two spatial axes of an NHWC tensor. */
function padOrCrop(t: tf.Tensor4D, top: number, bottom: number, left: number, right: number): tf.Tensor4D {
  const [n, h, w, c] = t.shape;
  const cropTop = Math.max(0, -top);
  const cropBottom = Math.max(0, -bottom);
  const cropLeft = Math.max(0, -left);
  const cropRight = Math.max(0, -right);
  let out = t;
  if (cropTop || cropBottom || cropLeft || cropRight) {
    out = tf.slice(out, [0, cropTop, cropLeft, 0], [n, h - cropTop - cropBottom, w - cropLeft - cropRight, c]);
  }
  const padTop = Math.max(0, top);
  const padBottom = Math.max(0, bottom);
  const padLeft = Math.max(0, left);
  const padRight = Math.max(0, right);
  if (padTop || padBottom || padLeft || padRight) {
    out = tf.pad(out, [
      [0, 0],
      [padTop, padBottom],
      [padLeft, padRight],
      [0, 0],
    ]);
  }
  return out;
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
    // Rows x needs: from -top up to (ho-1)*sh + kh - 1 - top; pad or crop x to exactly that window.
    const bottom = (ho - 1) * sh + kh - info.top - h;
    const right = (wo - 1) * sw + kw - info.left - w;
    const xWindow = padOrCrop(x, info.top, bottom, info.left, right);
    const xT = tf.transpose(xWindow, [3, 1, 2, 0]) as tf.Tensor4D; // [Cin, H', W', N]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [Ho, Wo, N, Cout]
    const g = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', [sh, sw]); // [Cin, kh, kw, Cout]
    return tf.transpose(g, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

/**
 * The filter of the phase convolution: for each output phase (rh, rw) of a stride-(sh, sw) transposed
 * conv, the taps of W that land on it, flipped, in/out swapped, zero-filled to a common size; the
 * phases are concatenated along the output channels in (rh, rw, Cin) order.
 */
function phaseFilter(filter: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  const [kh, kw, cin, cout] = filter.shape;
  const jh = Math.ceil(kh / sh);
  const jw = Math.ceil(kw / sw);
  const swapped = tf.transpose(filter, [0, 1, 3, 2]); // [kh, kw, Cout, Cin]
  const phases: tf.Tensor4D[] = [];
  for (let rh = 0; rh < sh; rh++) {
    for (let rw = 0; rw < sw; rw++) {
      const th = Math.ceil((kh - rh) / sh);
      const tw = Math.ceil((kw - rw) / sw);
      if (th === 0 || tw === 0) {
        phases.push(tf.zeros([jh, jw, cout, cin]));
        continue;
      }
      const taps = tf.stridedSlice(swapped, [rh, rw, 0, 0], [kh, kw, cout, cin], [sh, sw, 1, 1]) as tf.Tensor4D;
      const flipped = tf.reverse(taps, [0, 1]);
      phases.push(
        tf.pad(flipped, [
          [jh - th, 0],
          [jw - tw, 0],
          [0, 0],
          [0, 0],
        ]),
      );
    }
  }
  return phases.length === 1 ? phases[0]! : (tf.concat(phases, 3) as tf.Tensor4D);
}

/**
 * dL/dx of y = conv2d(x, W, strides, pad) — which is also the forward pass of a transposed conv.
 * One forward conv of dy computes every output phase at once; a reshape/transpose interleaves them.
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
    const jh = Math.ceil(kh / sh);
    const jw = Math.ceil(kw / sw);
    // Phase rows m cover padded input rows q = sh*m + rh; rows top..top+h-1 are needed.
    const mh = Math.ceil((info.top + h) / sh);
    const mw = Math.ceil((info.left + w) / sw);
    const dyWindow = padOrCrop(dy, jh - 1, mh - ho, jw - 1, mw - wo);
    const phases = tf.conv2d(dyWindow, phaseFilter(filter, sh, sw), 1, 'valid'); // [N, mh, mw, sh*sw*Cin]
    let full: tf.Tensor4D = phases;
    if (sh > 1 || sw > 1) {
      const split = tf.reshape(phases, [n, mh, mw, sh, sw, cin]);
      full = tf.reshape(tf.transpose(split, [0, 1, 3, 2, 4, 5]), [n, mh * sh, mw * sw, cin]);
    }
    return tf.slice(full, [0, info.top, info.left, 0], [n, h, w, cin]);
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
