// The api services in the browser host: settings through conf, the thumbnail cache in the data
// dir, the engine (registry, engine child process, job queue), no native dialogs.
import { AllowedFolders } from '../access/allowed-folders.js';
import type { ApiServices } from '../api/services.js';
import { ThumbnailCache } from '../engine/library/thumbnails.js';
import { createEngineServices } from '../engine-client/engine-services.js';
import { openConfSettings } from '../settings/conf-settings.js';
import { thumbnailCacheDir } from '../settings/data-dir.js';

export function browserServices(dataDir: string): ApiServices {
  return {
    host: 'browser',
    settings: openConfSettings(dataDir),
    access: new AllowedFolders(),
    thumbnails: new ThumbnailCache(thumbnailCacheDir(dataDir)),
    engine: createEngineServices(dataDir),
  };
}
