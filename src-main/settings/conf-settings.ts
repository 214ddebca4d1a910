// The settings file for plain Node (browser host, CLI, tests), via `conf`: the library electron-store
// is built on, so the file is the same config.json that Electron reads and writes.
import Conf from 'conf';
import { createSettingsStore, type SettingsStore } from './settings-store.js';

export function openConfSettings(dataDir: string): SettingsStore {
  const conf = new Conf<Record<string, unknown>>({ cwd: dataDir, configName: 'config', projectName: 'clearframe' });
  return createSettingsStore(conf);
}
