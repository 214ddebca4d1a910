// The api services in the browser host: settings through conf, the engine (model catalog, engine
// child process with the thumbnail cache in the data dir, job queue), no native dialogs. Built the
// same way as Electron's (app/main.ts): every decode and network runs in the engine process.
import { AllowedFolders } from '../access/allowed-folders.js';
import type { ApiServices } from '../api/services.js';
import { createEngineServices } from '../engine-client/engine-services.js';
import { openConfSettings } from '../settings/conf-settings.js';

export function browserServices(dataDir: string): ApiServices {
  return {
    host: 'browser',
    settings: openConfSettings(dataDir),
    access: new AllowedFolders(),
    engine: createEngineServices(dataDir),
  };
}
