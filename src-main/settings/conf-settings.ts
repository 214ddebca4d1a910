// The settings file for plain Node (browser host, CLI, tests), via `conf`: the library electron-store
// is built on, so the file is the same config.json that Electron reads and writes.
import { join } from 'node:path';
import Conf from 'conf';
import { describeReset, recoverJsonFile } from './recover-file.js';
import { createSettingsStore, type SettingsStore } from './settings-store.js';

export function openConfSettings(dataDir: string): SettingsStore {
  const reset = recoverJsonFile(join(dataDir, 'config.json'));
  const notices = reset ? [describeReset(reset)] : [];
  for (const notice of notices) console.warn(`Clearframe: ${notice}`);
  const conf = new Conf<Record<string, unknown>>({ cwd: dataDir, configName: 'config', projectName: 'clearframe' });
  return createSettingsStore(conf, notices);
}
