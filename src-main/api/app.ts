// app:info, the native dialogs and "Show in folder". The native libraries' versions and the backends are the engine
// process's to report (engine/process/engine-info.ts): this process never loads them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClearframeError } from '../../src-shared/contract-core.js';
import type { AppInfo } from '../../src-shared/schemas/app.js';
import { appDir, appPackage } from '../resources.js';
import type { EngineInfo } from '../engine/contract/protocol.js';
import type { Handlers } from './dispatch.js';
import type { ApiServices } from './services.js';

/**
 * The engine's report, or why there is none (About must still open when the engine cannot start).
 * A host built without an engine (some tests) has no engine libraries to report.
 */
async function engineReport(services: ApiServices): Promise<EngineInfo & { warning?: string }> {
  if (!services.engine) return { versions: {}, backends: [] };
  try {
    // What runs is asked under the saved Settings → Engine choice, the one the jobs use.
    const { runtime, threads } = services.settings.get();
    return await services.engine.client.info({ runtime, threads });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { versions: {}, backends: [], warning: `The engine could not report its libraries and backends: ${reason}` };
  }
}

/** Libraries bundled into the renderer (dev dependencies at build time, shipped all the same). */
const RENDERER_LIBRARIES = ['svelte', 'uplot'];

/** Clearframe's licence and each shipped library's, as their package.json files state them. */
function licences(): AppInfo['licences'] {
  const own = appPackage();
  const names = [...Object.keys(own.dependencies ?? {}), ...RENDERER_LIBRARIES];
  const found = names.flatMap((name) => {
    const file = join(appDir(), 'node_modules', name, 'package.json');
    if (!existsSync(file)) return [];
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { version?: string; license?: string };
    return [{ name, version: pkg.version ?? '', licence: pkg.license ?? 'see its package' }];
  });
  return [
    { name: own.productName ?? 'Clearframe', version: own.version, licence: own.license ?? 'see its package' },
    ...found,
  ];
}

export function appHandlers(
  services: ApiServices,
): Pick<Handlers, 'app:info' | 'dialog:openFolder' | 'app:showInFolder'> {
  return {
    'app:info': async () => {
      const engine = await engineReport(services);
      const versions: Record<string, string> = {
        node: process.versions.node,
        ...engine.versions,
        ...services.hostVersions,
      };
      const ownPackage = appPackage();
      return {
        name: ownPackage.productName ?? 'Clearframe',
        version: ownPackage.version,
        platform: process.platform,
        arch: process.arch,
        host: services.host,
        versions,
        backends: engine.backends,
        ...(engine.inference ? { inference: engine.inference } : {}),
        warnings: [...(services.settings.notices ?? []), ...(engine.warning === undefined ? [] : [engine.warning])],
        ...(services.engine
          ? { folders: { data: services.engine.dataDir, models: services.engine.registry.dirs.userDir } }
          : {}),
        licences: licences(),
      };
    },
    'dialog:openFolder': async () => {
      if (!services.pickFolder) {
        throw new ClearframeError(
          'unsupported',
          'The folder picker exists only in the desktop app; type or paste the folder path instead.',
        );
      }
      return { folder: await services.pickFolder() };
    },
    'app:showInFolder': async ({ path }) => {
      if (!services.showInFolder) {
        throw new ClearframeError(
          'unsupported',
          'Showing a file in its folder works only in the desktop app; copy the path instead.',
        );
      }
      // Only what the user opened (or what was written there) may be revealed: the same check as every path.
      services.showInFolder(await services.access.check(path));
      return { shown: true };
    },
  };
}
