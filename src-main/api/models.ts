// models:list / models:import / models:delete, straight on the model catalog (cheap file reads and
// copies in this process; no network is loaded to list models). A model that scores below the model
// it started from is imported only when the request confirms it (acceptWorse): the first answer is
// needs-confirmation, saying by how much.
import { isAbsolute, relative } from 'node:path';
import { ClearframeError } from '../../src-shared/contract-core.js';
import { worseThanStartMessage } from '../../src-shared/schemas/models.js';
import { readCard } from '../engine/contract/model-files.js';
import type { Handlers } from './dispatch.js';
import { openRunsFolder } from './train.js';
import { requireEngine } from './denoise.js';
import type { ApiServices } from './services.js';

/** Throws needs-confirmation when the folder's card says it is worse than its start; a folder without a readable card is the catalog's to refuse. */
async function refuseWorseThanStart(folder: string): Promise<void> {
  const card = await readCard(folder).catch(() => undefined);
  const message = card && worseThanStartMessage(card);
  if (message) throw new ClearframeError('needs-confirmation', message, folder);
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

export function modelsHandlers(
  services: ApiServices,
): Pick<Handlers, 'models:list' | 'models:import' | 'models:delete'> {
  return {
    'models:list': async () => requireEngine(services).registry.list(),
    'models:import': async ({ folder, acceptWorse }) => {
      // A run's model in Clearframe's runs folder may be saved in a later session too.
      if (isInside(requireEngine(services).runsDir, folder)) await openRunsFolder(services);
      const checked = await services.access.check(folder);
      if (!acceptWorse) await refuseWorseThanStart(checked);
      return requireEngine(services).registry.importFolder(checked);
    },
    'models:delete': async ({ id }) => {
      await requireEngine(services).registry.delete(id);
      return { deleted: id };
    },
  };
}
