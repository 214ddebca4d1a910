// Shipped and user models (models:list), and what the pickers need from them.
import type { ApiError } from '../../src-shared/contract.js';
import type { ModelSummary } from '../../src-shared/schemas/models.js';
import { api } from '../lib/api.js';

class ModelsStore {
  list = $state.raw<ModelSummary[]>([]);
  loading = $state(false);
  error = $state<ApiError | null>(null);
  /** False until the engine's models:list channel is on this build. */
  available = api.has('models:list');

  async load(): Promise<void> {
    // Wired in when the engine's models channels land in the contract.
  }
}

export const models = new ModelsStore();
