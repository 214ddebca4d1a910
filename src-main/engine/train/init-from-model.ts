// `--init MODEL_DIR`: a run that starts from an existing model's weights (fine-tuning, e.g. a white-
// noise model taught camera noise) with a fresh optimizer. The model must be the run's architecture
// and channel count; its card says so, and the weight shapes are checked again on load.
import { EngineError } from '../engine-error.js';
import { initBackend } from '../backend.js';
import { buildArchitecture } from '../models/architectures.js';
import { loadLayersModelFromFolder, readCard } from '../models/model-folder.js';
import { freshAdamState } from './adam.js';
import { checkWeights, weightsOf, type NetSpec, type TrainingState } from './training-state.js';

export async function initialStateFrom(folder: string, spec: NetSpec): Promise<TrainingState> {
  const card = await readCard(folder);
  if (card.architecture !== spec.arch || card.channels !== spec.channels) {
    throw new EngineError('invalid-request', `${folder} is a ${card.architecture} with ${card.channels} channel(s); this run trains a ${spec.arch} with ${spec.channels}`, folder);
  }
  await initBackend();
  const loaded = await loadLayersModelFromFolder(folder);
  const model = buildArchitecture(spec.arch, spec.channels);
  try {
    const weights = weightsOf(loaded);
    checkWeights(model, weights, spec.arch);
    return { weights, optimizer: freshAdamState(model.trainableWeights.map((w) => w.read().size)) };
  } finally {
    model.dispose();
    loaded.dispose();
  }
}
