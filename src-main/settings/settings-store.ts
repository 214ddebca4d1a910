// One settings store over either backing: electron-store in Electron, conf in the browser host and
// tests. Both write the same config.json in the data dir, so switching hosts keeps the settings.
// Values are validated with the one Settings schema on every read: a hand-edited or older file with
// a bad value loses only that value (back to its default), never the whole file.
import { Settings, SettingsPatch } from '../../src-shared/schemas/settings.js';

/** What electron-store and conf have in common that we rely on. */
export interface KeyValueBacking {
  get store(): Record<string, unknown>;
  set store(value: Record<string, unknown>);
}

export interface SettingsStore {
  get(): Settings;
  set(patch: SettingsPatch): Settings;
  /** What happened to the settings file at start-up that the user should know (e.g. a reset). */
  readonly notices?: readonly string[];
}

/** Parses stored values, dropping each key whose value no longer fits the schema. */
export function readSettings(stored: Record<string, unknown>): Settings {
  const whole = Settings.safeParse(stored);
  if (whole.success) return whole.data;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored)) {
    if (!(key in Settings.shape)) continue;
    if (SettingsPatch.safeParse({ [key]: value }).success) kept[key] = value;
  }
  return Settings.parse(kept);
}

export function createSettingsStore(backing: KeyValueBacking, notices: readonly string[] = []): SettingsStore {
  return {
    notices,
    get: () => readSettings(backing.store),
    set(patch) {
      const next = Settings.parse({ ...readSettings(backing.store), ...SettingsPatch.parse(patch) });
      backing.store = next;
      return next;
    },
  };
}
