// Where the model catalog looks: the shipped models (resources.ts) and <data dir>/models. Platform
// knowledge, so it lives here and the engine receives the folders instead of finding them itself.
import { join } from 'node:path';
import type { ModelRegistryDirs } from '../engine/contract/model-catalog.js';
import { shippedModelsDir } from '../resources.js';
import { defaultDataDir } from './data-dir.js';

/** User models live in <dataDir>/models; shipped ones in assets/models (see resources.ts). */
export function modelDirs(dataDir: string, shippedDir: string = shippedModelsDir()): ModelRegistryDirs {
  return { shippedDir, userDir: join(dataDir, 'models') };
}

/** The CLI's folders: the default data dir (CLEARFRAME_DATA_DIR or the platform's). */
export function defaultRegistryDirs(env: NodeJS.ProcessEnv = process.env): ModelRegistryDirs {
  return modelDirs(defaultDataDir(env));
}
