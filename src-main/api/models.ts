// models:list / models:import / models:delete, straight on the registry (cheap file reads).
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
