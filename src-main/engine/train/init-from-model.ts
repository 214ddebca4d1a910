// `--init MODEL_DIR`: a run that starts from an existing model's weights (fine-tuning, e.g. a white-
// noise model taught camera noise) with a fresh optimizer. The model must be the run's architecture
// and channel count; its card says so, and the weight shapes are checked again on load.
import { EngineError } from '../engine-error.js';
import { initBackend } from '../backend.js';
import { loadLayersModelFromFolder, readCard } from '../models/model-folder.js';
import type { PoolState } from './gradient-pool.js';
import { TrainableNet, type NetSpec } from './trainable-net.js';

export async function initialStateFrom(folder: string, spec: NetSpec): Promise<PoolState> {
  const card = await readCard(folder);
  if (card.architecture !== spec.arch || card.channels !== spec.channels) {
    throw new EngineError('invalid-request', `${folder} is a ${card.architecture} with ${card.channels} channel(s); this run trains a ${spec.arch} with ${spec.channels}`, folder);
  }
  await initBackend();
  const loaded = await loadLayersModelFromFolder(folder);
  const net = new TrainableNet(spec);
  try {
    net.setWeights(loaded.getWeights().map((w) => w.dataSync() as Float32Array));
    return { weights: net.getWeights(), optimizer: net.getOptimizerState() };
  } finally {
    net.dispose();
    loaded.dispose();
  }
}
