// `--init MODEL_DIR`: a run that starts from an existing model's weights (fine-tuning, e.g. a white-
// noise model taught camera noise) with a fresh optimizer. The model must have the run's channel
// count. Of the run's architecture, it gives every weight (shapes checked again on load); of another
// (a dcae-res-nl warm-starting a dcae-res4-nl), it gives the layers both have by name and shape, and
// the others start as a fresh run's (seeded) do.
import type * as tfl from '@tensorflow/tfjs-layers';
import { EngineError } from '../contract/engine-error.js';
import { initBackend } from '../infer/tfjs-backend.js';
import { buildArchitecture } from '../models/architectures.js';
import { loadLayersModelFromFolder, readCard } from '../models/model-folder.js';
import { freshAdamState } from './adam.js';
import { seededInitialState } from './initial-state.js';
import { checkWeights, weightsOf, type NetSpec, type TrainingState } from './training-state.js';

export async function initialStateFrom(folder: string, spec: NetSpec, seed = 0): Promise<TrainingState> {
  const card = await readCard(folder);
  if (card.channels !== spec.channels) {
    throw new EngineError(
      'invalid-request',
      `${folder} is a ${card.architecture} with ${card.channels} channel(s); this run trains a ${spec.arch} with ${spec.channels}`,
      folder,
    );
  }
  await initBackend();
  const loaded = await loadLayersModelFromFolder(folder);
  const model = buildArchitecture(spec.arch, spec.channels);
  try {
    if (card.architecture !== spec.arch) {
      const fresh = await seededInitialState(spec, seed);
      return { ...fresh, weights: sharedLayerWeights(loaded, model, fresh) };
    }
    const weights = weightsOf(loaded);
    checkWeights(model, weights, spec.arch);
    return { weights, optimizer: freshAdamState(model.trainableWeights.map((w) => w.read().size)) };
  } finally {
    model.dispose();
    loaded.dispose();
  }
}

/** `fresh`'s weights of `model`, with those of every layer `from` has by the same name and shapes taken from `from`. */
function sharedLayerWeights(from: tfl.LayersModel, model: tfl.LayersModel, fresh: TrainingState): Float32Array[] {
  // Matched by tfjs variable identity: model.weights holds the very LayerVariables its layers do.
  const weights = [...fresh.weights];
  const index = new Map(model.weights.map((w, i) => [w, i]));
  const shared = model.layers.filter((layer) => {
    const source = from.layers.find((l) => l.name === layer.name);
    const same =
      source &&
      source.weights.length === layer.weights.length &&
      source.weights.every((w, k) => w.shape.join() === layer.weights[k]!.shape.join());
    if (same)
      layer.weights.forEach((w, k) =>
        weights.splice(index.get(w)!, 1, Float32Array.from(source.weights[k]!.read().dataSync())),
      );
    return same && layer.weights.length > 0;
  });
  if (shared.length === 0) throw new EngineError('invalid-request', `${from.name} shares no layer with ${model.name}`);
  return weights;
}
