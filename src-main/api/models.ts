// models:list / models:import / models:delete, straight on the model catalog (cheap file reads and
// copies in this process; no network is loaded to list models).
import type { Handlers } from './dispatch.js';
import { requireEngine } from './denoise.js';
import type { ApiServices } from './services.js';

export function modelsHandlers(services: ApiServices): Pick<Handlers, 'models:list' | 'models:import' | 'models:delete'> {
  return {
    'models:list': async () => requireEngine(services).registry.list(),
    'models:import': async ({ folder }) => requireEngine(services).registry.importFolder(await services.access.check(folder)),
    'models:delete': async ({ id }) => {
      await requireEngine(services).registry.delete(id);
      return { deleted: id };
    },
  };
}
