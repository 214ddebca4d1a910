// What the api handlers need from the process that hosts them. Electron and the browser host each
// build one of these; tests build one over a temp data dir. A member only one shell has (the native
// folder picker, reveal in the file manager) is optional; so is the engine, whose channels then
// answer 'unsupported'.
import type { AllowedFolders } from '../access/allowed-folders.js';
import type { EngineServices } from '../engine-client/engine-services.js';
import type { SettingsStore } from '../settings/settings-store.js';

export interface ApiServices {
  host: 'electron' | 'browser';
  settings: SettingsStore;
  access: AllowedFolders;
  /** The native folder picker; absent in the browser host. Answers null when cancelled. */
  pickFolder?: () => Promise<string | null>;
  /** Reveals a file or folder in the system's file manager (Electron's shell); absent in the browser host. The path is already checked. */
  showInFolder?: (path: string) => void;
  /** The model catalog, engine process and job queue (createEngineServices(dataDir)). */
  engine?: EngineServices;
  /** Versions only the host knows (e.g. Electron's); merged into app:info. */
  hostVersions?: Record<string, string>;
}
