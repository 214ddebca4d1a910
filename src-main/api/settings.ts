// settings:get and settings:set; the store validates and persists (see settings/settings-store.ts).
import type { Handlers } from './dispatch.js';
import type { ApiServices } from './services.js';

export function settingsHandlers(services: ApiServices): Pick<Handlers, 'settings:get' | 'settings:set'> {
  return {
    'settings:get': async () => services.settings.get(),
    'settings:set': async (patch) => services.settings.set(patch),
  };
}
