// Facts about the running app (version, host, the engine backends this machine has).
import type { ApiError } from '../../src-shared/contract.js';
import type { AppInfo } from '../../src-shared/schemas/app.js';
import { invoke } from '../lib/api.js';

class AppStore {
  info = $state<AppInfo | null>(null);
  error = $state<ApiError | null>(null);

  inferenceBackends = $derived(this.info?.backends.filter((b) => b.kind === 'inference') ?? []);

  async load(): Promise<void> {
    if (this.info) return;
    const result = await invoke('app:info', {});
    if (result.ok) this.info = result.value;
    else this.error = result.error;
  }
}

export const app = new AppStore();
