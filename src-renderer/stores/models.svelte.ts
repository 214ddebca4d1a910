// Shipped and user models (models:list), and what the pickers need from them.
import type { ApiError } from '../../src-shared/contract.js';
import type { ModelSummary } from '../../src-shared/schemas/models.js';
import { api } from '../lib/api.js';

const notYet: ApiError = { code: 'unsupported', message: 'This build of Clearframe has no model channels yet.' };

class ModelsStore {
  list = $state.raw<ModelSummary[]>([]);
  loading = $state(false);
  busy = $state(false);
  error = $state<ApiError | null>(null);
  errorAction = $state('load the models');

  grey = $derived(this.list.filter((m) => m.card.channels === 1));
  colour = $derived(this.list.filter((m) => m.card.channels === 3));

  byId(id: string): ModelSummary | undefined {
    return this.list.find((m) => m.card.id === id);
  }

  async load(): Promise<void> {
    if (!api.has('models:list')) return;
  }

  /** Answers the imported model's id, or null (the error is in `error`). */
  async importFolder(folder: string): Promise<string | null> {
    this.errorAction = 'import the model';
    this.error = folder ? notYet : null;
    return null;
  }

  async remove(id: string): Promise<boolean> {
    this.errorAction = `delete the model ${id}`;
    this.error = notYet;
    return false;
  }
}

export const models = new ModelsStore();
