// The handlers of every contract channel, composed from one module per domain. Each module answers
// a Pick<Handlers, its channels>; the spread below must cover every channel, so a channel added to
// the contract without a handler fails to compile here. To add a domain: write api/<domain>.ts
// exporting `<domain>Handlers(services)`, add any services it needs to ApiServices, spread it here.
import { appHandlers } from './app.js';
import { denoiseHandlers } from './denoise.js';
import type { Handlers } from './dispatch.js';
import { libraryHandlers } from './library.js';
import { modelsHandlers } from './models.js';
import type { ApiServices } from './services.js';
import { settingsHandlers } from './settings.js';
import { trainHandlers } from './train.js';

export type { ApiServices } from './services.js';

export function createHandlers(services: ApiServices): Handlers {
  return {
    ...appHandlers(services),
    ...libraryHandlers(services),
    ...denoiseHandlers(services),
    ...modelsHandlers(services),
    ...settingsHandlers(services),
    ...trainHandlers(services),
  };
}
