// Settings and window state in Electron, through electron-store (which needs Electron's `app`, hence
// here and not in settings/). Same config.json in userData as conf writes for the browser host.
import { join } from 'node:path';
import { app } from 'electron';
import Store from 'electron-store';
import { describeReset, recoverJsonFile } from '../settings/recover-file.js';
import { createSettingsStore, type SettingsStore } from '../settings/settings-store.js';
import { parseSavedWindowState, type SavedWindowState } from './window-state.js';

/** Moves a damaged <name>.json in userData aside (see recover-file.ts); answers the notice, if any. */
function recoverStoreFile(name: string): string[] {
  const reset = recoverJsonFile(join(app.getPath('userData'), `${name}.json`));
  if (!reset) return [];
  console.warn(`Clearframe: ${describeReset(reset)}`);
  return [describeReset(reset)];
}

export function openElectronSettings(): SettingsStore {
  const notices = recoverStoreFile('config');
  return createSettingsStore(new Store<Record<string, unknown>>({ name: 'config' }), notices);
}

export interface WindowStateStore {
  load(): SavedWindowState | undefined;
  save(state: SavedWindowState): void;
}

export function openWindowStateStore(): WindowStateStore {
  recoverStoreFile('window-state'); // only the window's size and place: not worth a notice
  const store = new Store<Record<string, unknown>>({ name: 'window-state' });
  return {
    load: () => parseSavedWindowState(store.store),
    save: (state) => {
      store.store = { bounds: state.bounds, maximized: state.maximized };
    },
  };
}
