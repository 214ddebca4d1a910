// Every network Clearframe can build, by architecture id, and everything else the engine must know
// about it (what it outputs, whether it takes a noise-level plane, the side multiple it needs): one
// entry per architecture in the table at the bottom, read by the trainers, the card writer and the
// batch drawer, so no caller re-derives a fact from an id. One builder per architecture, written
// layer by layer so it reads like its table (seed-dcae.md for `dcae`). All follow the model I/O
// convention in src-shared/schemas/models.ts: NHWC input in 0..1 with `channels` image channels
// (+1 noise-level channel when `noiseLevelInput`), dynamic height and width.
import * as tf from '@tensorflow/tfjs-layers';
import type { ArchitectureId, ModelCard } from '../../../src-shared/schemas/models.js';
import { dcaeRes, dcaeRes4Nl, dcaeResNl } from './dcae-res.js';

export interface ArchitectureOptions {
  /** Image channels: 1 (grey) or 3 (RGB). */
  channels: 1 | 3;
  /** Adds one input channel holding sigma/255 (noise-level-conditioned models). */
  noiseLevelInput?: boolean;
}

export type ArchitectureBuilder = (opts: ArchitectureOptions) => tf.LayersModel;

function inputChannels(opts: ArchitectureOptions): number {
  return opts.channels + (opts.noiseLevelInput ? 1 : 0);
}

/** Conv (linear, bias) → BatchNorm → ReLU, the seed DCAE's repeated block. */
function convBnRelu(
  x: tf.SymbolicTensor,
  name: string,
  filters: number,
  strides: number,
  transposed: boolean,
): tf.SymbolicTensor {
  const conv = transposed
    ? tf.layers.conv2dTranspose({ name, filters, kernelSize: 3, strides, padding: 'same' })
    : tf.layers.conv2d({ name, filters, kernelSize: 3, strides, padding: 'same' });
  const bn = tf.layers.batchNormalization({ name: `${name}_bn` });
  const relu = tf.layers.activation({ name: `${name}_relu`, activation: 'relu' });
  return relu.apply(bn.apply(conv.apply(x))) as tf.SymbolicTensor;
}

/**
 * The seed DCAE (seed-dcae.md), predicting the clean image through a sigmoid. ≈0.93 M trainable
 * weights for one channel. Sides must be multiples of 4 (two stride-2 stages).
 */
export function dcae(opts: ArchitectureOptions): tf.LayersModel {
  const input = tf.input({ shape: [null, null, inputChannels(opts)], name: 'image' });
  let x = convBnRelu(input, 'enc1', 64, 1, false); //              1: 64, 3×3, s1
  x = convBnRelu(x, 'enc2', 128, 2, false); //                      2: 128, 3×3, s2
  x = convBnRelu(x, 'enc3', 256, 2, false); //                      3: 256, 3×3, s2
  x = tf.layers
    .conv2d({ name: 'bottleneck', filters: 64, kernelSize: 5, padding: 'same' })
    .apply(x) as tf.SymbolicTensor; // 4: linear
  x = convBnRelu(x, 'dec1', 128, 2, true); //                       5: 128, 3×3 transposed, s2
  x = convBnRelu(x, 'dec2', 64, 2, true); //                        6: 64, 3×3 transposed, s2
  const output = tf.layers
    .conv2dTranspose({
      name: 'dec3',
      filters: opts.channels,
      kernelSize: 3,
      strides: 1,
      padding: 'same',
      activation: 'sigmoid',
    })
    .apply(x) as tf.SymbolicTensor; //                              7: channels, 3×3 transposed, sigmoid
  return tf.model({ inputs: input, outputs: output, name: 'dcae' });
}

/** One row of the architecture table: the builder and the facts its model card records. */
export interface Architecture {
  build: ArchitectureBuilder;
  /** What the network predicts: the clean image, or the noise the runtime subtracts. */
  output: ModelCard['output'];
  /** Whether the input carries one more channel holding σ/255. */
  noiseLevelInput: boolean;
  /** Input sides must be multiples of this (two stride-2 stages: 4; four: 16). */
  sizeMultiple: number;
}

/** The architecture table: every id the schema knows, with its builder and facts. */
export const architectures: Record<ArchitectureId, Architecture> = {
  dcae: { build: dcae, output: 'clean', noiseLevelInput: false, sizeMultiple: 4 },
  'dcae-res': { build: dcaeRes, output: 'noise', noiseLevelInput: false, sizeMultiple: 4 },
  'dcae-res-nl': { build: dcaeResNl, output: 'noise', noiseLevelInput: true, sizeMultiple: 4 },
  'dcae-res4-nl': { build: dcaeRes4Nl, output: 'noise', noiseLevelInput: true, sizeMultiple: 16 },
};

export function architectureOf(id: ArchitectureId): Architecture {
  const entry = architectures[id];
  if (!entry)
    throw new Error(
      `Architecture "${id}" has no entry in this build (known: ${Object.keys(architectures).join(', ')})`,
    );
  return entry;
}

/** Channels of the network's input for `channels` image channels (+1 with a noise-level plane). */
export function inputChannelsOf(id: ArchitectureId, channels: 1 | 3): number {
  return channels + (architectureOf(id).noiseLevelInput ? 1 : 0);
}

/** A fresh network of architecture `id` (random initial weights) for `channels` image channels. */
export function buildArchitecture(id: ArchitectureId, channels: 1 | 3): tf.LayersModel {
  const { build, noiseLevelInput } = architectureOf(id);
  return build({ channels, noiseLevelInput });
}
