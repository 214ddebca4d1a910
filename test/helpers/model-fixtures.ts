// Model folders for tests: real architectures from the table with randomly initialised weights
// (trained weights are not needed to test loading, export, tiling or plumbing).
import { buildArchitecture } from '../../src-main/engine/models/architectures.js';
import { saveModelFolder } from '../../src-main/engine/models/model-folder.js';
import { initBackend } from '../../src-main/engine/infer/tfjs-backend.js';
import type { ArchitectureId, ModelCard } from '../../src-shared/schemas/models.js';

export function testCard(overrides: Partial<ModelCard> & Pick<ModelCard, 'id'>): ModelCard {
  return {
    name: overrides.id,
    architecture: 'dcae',
    channels: 1,
    output: 'clean',
    noiseLevelInput: false,
    sizeMultiple: 4,
    trainingNoise: { type: 'gaussian', sigma: 25 },
    patchSize: 64,
    trainingData: 'none (random initialisation, test fixture)',
    steps: 0,
    backend: 'wasm',
    metrics: [],
    createdAt: new Date(0).toISOString(),
    ...overrides,
  };
}

/** Writes a randomly initialised model of `card.architecture` as a complete model folder. */
export async function writeRandomModelFolder(dir: string, card: ModelCard): Promise<void> {
  await initBackend();
  const model = buildArchitecture(card.architecture as ArchitectureId, card.channels);
  await saveModelFolder(model, card, dir);
  model.dispose();
}
