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

  /** A model the import asked about before saving (it scores below the model it started from): its folder and the question. */
  confirmation = $state.raw<{ folder: string; message: string } | null>(null);

  /** Answers the imported model's id, or null (the error is in `error`, or the question in `confirmation`). */
  async importFolder(folder: string, acceptWorse = false): Promise<string | null> {
    if (!folder) return null;
    this.busy = true;
    this.errorAction = 'import the model';
    const result = await invoke('models:import', { folder, ...(acceptWorse ? { acceptWorse } : {}) });
    this.busy = false;
    if (!result.ok) {
      if (result.error.code === 'needs-confirmation') this.confirmation = { folder, message: result.error.message };
      else this.error = result.error;
      return null;
    }
    this.error = null;
    await this.load();
    return result.value.card.id;
  }

  /** Imports the model the user confirmed (see `confirmation`); null when there was none or it failed. */
  async confirmImport(): Promise<string | null> {
    const pending = this.confirmation;
    this.confirmation = null;
    return pending ? this.importFolder(pending.folder, true) : null;
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
