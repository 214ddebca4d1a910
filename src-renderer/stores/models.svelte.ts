// Shipped and user models (models:list), import and delete, and what the pickers need from them.
import type { ApiError } from '../../src-shared/contract.js';
import type { ModelSummary } from '../../src-shared/schemas/models.js';
import { invoke } from '../lib/api.js';

class ModelsStore {
  list = $state.raw<ModelSummary[]>([]);
  loading = $state(false);
  busy = $state(false);
  error = $state<ApiError | null>(null);
  errorAction = $state('load the models');

  byId(id: string): ModelSummary | undefined {
    return this.list.find((m) => m.card.id === id);
  }

  async load(): Promise<void> {
    this.loading = true;
    const result = await invoke('models:list', {});
    this.loading = false;
    if (result.ok) this.list = result.value;
    else {
      this.errorAction = 'load the models';
      this.error = result.error;
    }
  }

  /** Answers the imported model's id, or null (the error is in `error`). */
  async importFolder(folder: string): Promise<string | null> {
    if (!folder) return null;
    this.busy = true;
    this.errorAction = 'import the model';
    const result = await invoke('models:import', { folder });
    this.busy = false;
    if (!result.ok) {
      this.error = result.error;
      return null;
    }
    this.error = null;
    await this.load();
    return result.value.card.id;
  }

  async remove(id: string): Promise<boolean> {
    this.busy = true;
    this.errorAction = `delete the model ${id}`;
    const result = await invoke('models:delete', { id });
    this.busy = false;
    if (!result.ok) {
      this.error = result.error;
      return false;
    }
    this.error = null;
    await this.load();
    return true;
  }
}

export const models = new ModelsStore();
