// The starting point of a fresh run, drawn from the run's seed. tfjs-layers draws its initial
// weights from Math.random, so two runs of one recipe started from different networks and landed
// up to 0.6 dB apart after 80 steps; drawing them here makes a run repeatable (the same seed, the
// same network, the same batches). The distribution is the one tfjs-layers (and Keras) use by
// default for every kernel of our architectures, Glorot uniform; biases and BatchNorm parameters
// and statistics keep their constant initial values (zeros and ones), and so does a kernel the
// architecture starts at zero (dcae-res4-nl's last up-conv, so its extra levels start silent).
import { buildArchitecture } from '../models/architectures.js';
import { initBackend } from '../infer/tfjs-backend.js';
import { SeededRandom } from '../util/rng.js';
import { freshAdamState } from './adam.js';
import { weightsOf, type NetSpec, type TrainingState } from './training-state.js';

/** Glorot uniform's bound for a kernel of this shape (channels last: …, fan in, fan out). */
export function glorotLimit(shape: readonly number[]): number {
  if (shape.length < 2) throw new Error(`A kernel has at least two dimensions, not ${shape.length}`);
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return Math.sqrt(6 / (receptive * (shape[shape.length - 2]! + shape[shape.length - 1]!)));
}

/** A fresh network's weights (in model.getWeights() order) and an Adam that has not stepped. */
export async function seededInitialState(spec: NetSpec, seed: number): Promise<TrainingState> {
  await initBackend();
  const model = buildArchitecture(spec.arch, spec.channels);
  try {
    const rng = new SeededRandom(seed ^ 0x1a17);
    const weights = weightsOf(model).map((values, i) => {
      const variable = model.weights[i]!;
      if (!/(^|\/)kernel(_\d+)?$/.test(variable.originalName) || values.every((v) => v === 0)) return values;
      const limit = glorotLimit(variable.shape as number[]);
      return values.map(() => (2 * rng.next() - 1) * limit);
    });
    return { weights, optimizer: freshAdamState(model.trainableWeights.map((w) => w.read().size)) };
  } finally {
    model.dispose();
  }
}
