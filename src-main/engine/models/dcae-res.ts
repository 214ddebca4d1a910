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
  return tf.layers.conv2d({ name, filters, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x) as tf.SymbolicTensor;
}

function level(x: tf.SymbolicTensor, name: string, filters: number): tf.SymbolicTensor {
  return conv3x3Relu(conv3x3Relu(x, `${name}_a`, filters), `${name}_b`, filters);
}

function residualUnet(opts: ArchitectureOptions, name: string): tf.LayersModel {
  const input = tf.input({ shape: [null, null, opts.channels + (opts.noiseLevelInput ? 1 : 0)], name: 'image' });
  const enc1 = level(input, 'enc1', WIDTHS[0]); //                                    full resolution, 32
  const down1 = tf.layers.conv2d({ name: 'down1', filters: WIDTHS[1], kernelSize: 2, strides: 2, padding: 'same', activation: 'relu' }).apply(enc1) as tf.SymbolicTensor;
  const enc2 = level(down1, 'enc2', WIDTHS[1]); //                                    1/2, 64
  const down2 = tf.layers.conv2d({ name: 'down2', filters: WIDTHS[2], kernelSize: 2, strides: 2, padding: 'same', activation: 'relu' }).apply(enc2) as tf.SymbolicTensor;
  const bottom = level(down2, 'mid', WIDTHS[2]); //                                   1/4, 128
  const up2 = tf.layers.conv2dTranspose({ name: 'up2', filters: WIDTHS[1], kernelSize: 4, strides: 2, padding: 'same', activation: 'relu' }).apply(bottom) as tf.SymbolicTensor;
  const dec2 = level(tf.layers.add({ name: 'skip2' }).apply([up2, enc2]) as tf.SymbolicTensor, 'dec2', WIDTHS[1]);
  const up1 = tf.layers.conv2dTranspose({ name: 'up1', filters: WIDTHS[0], kernelSize: 4, strides: 2, padding: 'same', activation: 'relu' }).apply(dec2) as tf.SymbolicTensor;
  const dec1 = level(tf.layers.add({ name: 'skip1' }).apply([up1, enc1]) as tf.SymbolicTensor, 'dec1', WIDTHS[0]);
  const noise = tf.layers.conv2d({ name: 'noise', filters: opts.channels, kernelSize: 3, padding: 'same' }).apply(dec1) as tf.SymbolicTensor;
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
