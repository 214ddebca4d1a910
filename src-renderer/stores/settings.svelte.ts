// Settings, loaded once and changed through settings:set (the host persists them).
import type { ApiError } from '../../src-shared/contract.js';
import type { Settings, SettingsPatch } from '../../src-shared/schemas/settings.js';
import { invoke } from '../lib/api.js';

class SettingsStore {
  value = $state<Settings | null>(null);
  error = $state<ApiError | null>(null);
  saving = $state(false);
  savedAt = $state<number | null>(null);

  async load(): Promise<void> {
    const result = await invoke('settings:get', {});
    if (result.ok) {
      this.value = result.value;
      this.error = null;
    } else this.error = result.error;
  }

  private chain: Promise<unknown> = Promise.resolve();

  /**
   * Saves a change. Updates run one after another and each sends the whole settings merged with
   * its patch: two quick changes cannot undo each other, and a host that fills a partial patch
   * with defaults (zod 4 applies .default() inside .partial()) cannot reset the other keys.
   */
  update(patch: SettingsPatch): Promise<boolean> {
    const next = this.chain.then(() => this.send(patch));
    this.chain = next;
    return next;
  }

  private async send(patch: SettingsPatch): Promise<boolean> {
    this.saving = true;
    const result = await invoke('settings:set', this.value ? { ...this.value, ...patch } : patch);
    this.saving = false;
    if (result.ok) {
      this.value = result.value;
      this.error = null;
      this.savedAt = Date.now();
      return true;
    }
    this.error = result.error;
    return false;
  }

  /**
   * Reads the settings back after the host changed them itself: library:open puts the opened folder
   * at the top of recentFolders (the one place that list is written).
   */
  async reload(): Promise<void> {
    await this.chain;
    await this.load();
  }
}

export const settings = new SettingsStore();
