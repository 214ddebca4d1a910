// The services a browser host gives the API handlers, over a test's temp folder: settings and the
// thumbnail cache in `root/data`, shipped models from `root/shipped`, a real engine process, and
// the given folders opened, as if the user had opened them.
import { join } from 'node:path';
import { AllowedFolders } from '../../src-main/access/allowed-folders.js';
import type { ApiServices } from '../../src-main/api/index.js';
import { createEngineServices } from '../../src-main/engine-client/engine-services.js';
import { openConfSettings } from '../../src-main/settings/conf-settings.js';

export async function browserHostServices(root: string, opened: string[]): Promise<ApiServices> {
  const data = join(root, 'data');
  const services: ApiServices = {
    host: 'browser',
    settings: openConfSettings(data),
    access: new AllowedFolders(),
    engine: createEngineServices(data, { shippedDir: join(root, 'shipped'), thumbnailDir: join(data, 'thumbs') }),
  };
  for (const folder of opened) await services.access.allow(folder);
  return services;
}
