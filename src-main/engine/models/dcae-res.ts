// The residual U-Net DCAE, following the seed's own advice (seed-dcae.md) and calibration.md:
// the network predicts the noise (card output 'noise', subtracted by the runtime), a full-resolution
// path with U-Net skips that are added (cheaper than concatenation), kernel-4 stride-2 transposed
// convs (no checkerboard), no sigmoid, no BatchNorm. Three levels at 32/64/128 channels with two 3×3
// conv+ReLU each: ≈0.6 M weights and ≈209 kFLOP/px, near the seed's 172k, but it passed BM3D after
// ~12k patches in the reference runs where the seed stayed below 27.3 dB after 48k.
import * as tf from '@tensorflow/tfjs-layers';
import type { ArchitectureOptions } from './architectures.js';

const WIDTHS = [32, 64, 128] as const;

function conv3x3Relu(x: tf.SymbolicTensor, name: string, filters: number): tf.SymbolicTensor {
  return tf.layers
    .conv2d({ name, filters, kernelSize: 3, padding: 'same', activation: 'relu' })
    .apply(x) as tf.SymbolicTensor;
}

function level(x: tf.SymbolicTensor, name: string, filters: number): tf.SymbolicTensor {
  return conv3x3Relu(conv3x3Relu(x, `${name}_a`, filters), `${name}_b`, filters);
}

function down(x: tf.SymbolicTensor, name: string, filters: number): tf.SymbolicTensor {
  return tf.layers
    .conv2d({ name, filters, kernelSize: 2, strides: 2, padding: 'same', activation: 'relu' })
    .apply(x) as tf.SymbolicTensor;
}

/**
 * The three-level U-Net's body; `deeper` (the 1/4-resolution features, 128 channels) returns what is
 * added to them before the decoder (the four-level net's extra levels), or nothing for `dcae-res`.
 */
function residualUnet(
  opts: ArchitectureOptions,
  name: string,
  deeper?: (x: tf.SymbolicTensor) => tf.SymbolicTensor,
): tf.LayersModel {
  const input = tf.input({ shape: [null, null, opts.channels + (opts.noiseLevelInput ? 1 : 0)], name: 'image' });
  const enc1 = level(input, 'enc1', WIDTHS[0]); //                                    full resolution, 32
  const enc2 = level(down(enc1, 'down1', WIDTHS[1]), 'enc2', WIDTHS[1]); //           1/2, 64
  const mid = level(down(enc2, 'down2', WIDTHS[2]), 'mid', WIDTHS[2]); //             1/4, 128
  const bottom = deeper ? (tf.layers.add({ name: 'skip3' }).apply([mid, deeper(mid)]) as tf.SymbolicTensor) : mid;
  const up2 = tf.layers
    .conv2dTranspose({
      name: 'up2',
      filters: WIDTHS[1],
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      activation: 'relu',
    })
    .apply(bottom) as tf.SymbolicTensor;
  const dec2 = level(tf.layers.add({ name: 'skip2' }).apply([up2, enc2]) as tf.SymbolicTensor, 'dec2', WIDTHS[1]);
  const up1 = tf.layers
    .conv2dTranspose({
      name: 'up1',
      filters: WIDTHS[0],
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      activation: 'relu',
    })
    .apply(dec2) as tf.SymbolicTensor;
  const dec1 = level(tf.layers.add({ name: 'skip1' }).apply([up1, enc1]) as tf.SymbolicTensor, 'dec1', WIDTHS[0]);
  const noise = tf.layers
    .conv2d({ name: 'noise', filters: opts.channels, kernelSize: 3, padding: 'same' })
    .apply(dec1) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: noise, name });
}

/** `dcae-res`: fixed-σ (or blind) residual U-Net; output is the noise. Sides: multiples of 4. */
export function dcaeRes(opts: ArchitectureOptions): tf.LayersModel {
  return residualUnet({ channels: opts.channels, noiseLevelInput: false }, 'dcae_res');
}

/** `dcae-res-nl`: the same net with a σ/255 map as an extra input channel (FFDNet-style), σ 0–50. */
export function dcaeResNl(opts: ArchitectureOptions): tf.LayersModel {
  return residualUnet({ channels: opts.channels, noiseLevelInput: true }, 'dcae_res_nl');
}

/** x + conv(relu(conv(x))): a residual block of two 3×3 convs at `filters` channels (x has as many). */
function residualBlock(x: tf.SymbolicTensor, name: string, filters: number): tf.SymbolicTensor {
  const inner = conv3x3Relu(x, `${name}_a`, filters);
  const outer = tf.layers
    .conv2d({ name: `${name}_b`, filters, kernelSize: 3, padding: 'same' })
    .apply(inner) as tf.SymbolicTensor;
  return tf.layers.add({ name: `${name}_add` }).apply([x, outer]) as tf.SymbolicTensor;
}

const DEEP_WIDTHS = [160, 256] as const;

/**
 * The four-level net's levels under the 1/4 one: down to 1/8 (160 channels, a residual block) and
 * 1/16 (256, a residual block), back up with kernel-4 transposed convs and an added skip at 1/8. The
 * last up-conv is linear and starts at zero, so a fresh net, or one whose shared layers come from a
 * `dcae-res-nl` (init by layer name), computes exactly the three-level net until training moves it.
 */
function deepLevels(mid: tf.SymbolicTensor): tf.SymbolicTensor {
  const enc3 = residualBlock(down(mid, 'down3', DEEP_WIDTHS[0]), 'enc3', DEEP_WIDTHS[0]); //   1/8, 160
  const bottom = residualBlock(down(enc3, 'down4', DEEP_WIDTHS[1]), 'mid4', DEEP_WIDTHS[1]); // 1/16, 256
  const up4 = tf.layers
    .conv2dTranspose({
      name: 'up4',
      filters: DEEP_WIDTHS[0],
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      activation: 'relu',
    })
    .apply(bottom) as tf.SymbolicTensor;
  const dec3 = residualBlock(
    tf.layers.add({ name: 'skip4' }).apply([up4, enc3]) as tf.SymbolicTensor,
    'dec3',
    DEEP_WIDTHS[0],
  );
  return tf.layers
    .conv2dTranspose({
      name: 'up3',
      filters: WIDTHS[2],
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      kernelInitializer: 'zeros',
    })
    .apply(dec3) as tf.SymbolicTensor;
}

/**
 * `dcae-res4-nl`: `dcae-res-nl` with two more levels (1/8 and 1/16, most of its channels there): ≈4 M
 * weights for ≈1.3× the FLOPs per pixel, a receptive field four times wider. Sides: multiples of 16.
 */
export function dcaeRes4Nl(opts: ArchitectureOptions): tf.LayersModel {
  return residualUnet({ channels: opts.channels, noiseLevelInput: true }, 'dcae_res4_nl', deepLevels);
}
