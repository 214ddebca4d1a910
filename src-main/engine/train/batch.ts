// Draws a training batch: random image, random position, random dihedral transform, then noise.
// The network input gets the σ/255 map as an extra channel for noise-level models; the target is
// the clean patch or, for residual models, the noise (noisy − clean) the network must predict.
import type { ImagePair } from './dataset.js';
import { applyNoise, type SyntheticNoise } from './noise.js';
import { extractPatch, type Dihedral } from './patches.js';
import type { SeededRandom } from '../util/rng.js';
import type { BatchShape } from './training-state.js';

export interface BatchSpec {
  batch: number;
  patch: number;
  channels: 1 | 3;
  noise: SyntheticNoise;
  noiseLevelInput: boolean;
  output: 'clean' | 'noise';
}

export interface Batch {
  input: Float32Array;
  target: Float32Array;
  inShape: BatchShape;
  outShape: BatchShape;
}

/** Interleaves an image patch and a constant σ/255 plane into a (channels + 1)-channel patch. */
export function withNoiseLevel(patch: Float32Array, channels: number, sigma: number): Float32Array {
  const pixels = patch.length / channels;
  const out = new Float32Array(pixels * (channels + 1));
  const level = sigma / 255;
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < channels; c++) out[p * (channels + 1) + c] = patch[p * channels + c]!;
    out[p * (channels + 1) + channels] = level;
  }
  return out;
}

/** The network's input and target for one noisy/clean patch. */
export function inputAndTarget(
  noisy: Float32Array,
  clean: Float32Array,
  sigma: number,
  spec: Pick<BatchSpec, 'channels' | 'noiseLevelInput' | 'output'>,
): { input: Float32Array; target: Float32Array } {
  const input = spec.noiseLevelInput ? withNoiseLevel(noisy, spec.channels, sigma) : noisy;
  if (spec.output === 'clean') return { input, target: clean };
  const target = new Float32Array(clean.length);
  for (let i = 0; i < clean.length; i++) target[i] = noisy[i]! - clean[i]!;
  return { input, target };
}

export async function sampleBatch(pairs: ImagePair[], spec: BatchSpec, rng: SeededRandom): Promise<Batch> {
  const { batch, patch, channels } = spec;
  const inChannels = channels + (spec.noiseLevelInput ? 1 : 0);
  const inPer = patch * patch * inChannels;
  const outPer = patch * patch * channels;
  const input = new Float32Array(batch * inPer);
  const target = new Float32Array(batch * outPer);
  for (let b = 0; b < batch; b++) {
    const pair = pairs[rng.int(pairs.length)]!;
    const left = rng.int(pair.clean.width - patch + 1);
    const top = rng.int(pair.clean.height - patch + 1);
    const transform = rng.int(8) as Dihedral;
    const clean = extractPatch(pair.clean, left, top, patch, transform);
    const {
      noisy,
      sigma,
      target: wanted,
    } = pair.noisy
      ? {
          noisy: extractPatch(pair.noisy, left, top, patch, transform),
          sigma: spec.noise.type === 'gaussian' ? spec.noise.sigma : 0,
        }
      : await applyNoise(clean, { width: patch, height: patch, channels }, spec.noise, rng);
    const io = inputAndTarget(noisy, wanted ?? clean, sigma, spec);
    input.set(io.input, b * inPer);
    target.set(io.target, b * outPer);
  }
  return { input, target, inShape: [batch, patch, patch, inChannels], outShape: [batch, patch, patch, channels] };
}
