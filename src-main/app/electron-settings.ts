// Settings and window state in Electron, through electron-store (which needs Electron's `app`, hence
// here and not in settings/). Same config.json in userData as conf writes for the browser host.
import Store from 'electron-store';
import { createSettingsStore, type SettingsStore } from '../settings/settings-store.js';
import { parseSavedWindowState, type SavedWindowState } from './window-state.js';

export function openElectronSettings(): SettingsStore {
  return createSettingsStore(new Store<Record<string, unknown>>({ name: 'config' }));
}

export interface WindowStateStore {
  load(): SavedWindowState | undefined;
  save(state: SavedWindowState): void;
}

export function openWindowStateStore(): WindowStateStore {
  const store = new Store<Record<string, unknown>>({ name: 'window-state' });
  return {
    load: () => parseSavedWindowState(store.store),
    save: (state) => {
      store.store = { bounds: state.bounds, maximized: state.maximized };
    },
  };
}
