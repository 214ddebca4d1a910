// library:open and library:thumbnail. Opening a folder is what grants access to it: every later
// request about a file is checked against the folders opened in this session. The open folder is
// watched, so the library hears of photos added or removed (library:changed). The checks and the
// recent folders are kept here; reading headers and decoding thumbnails happen in the engine
// process, so a hostile or huge image cannot take this process down.
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname } from 'node:path';
import { ClearframeError } from '../../src-shared/contract-core.js';
import { isImageFileName } from '../engine/contract/image-files.js';
import { requireEngine } from './denoise.js';
import { resolveDenoiseJob } from './resolve-denoise-job.js';
import { watchFolder, type FolderWatch } from './folder-watch.js';
import { outputFolderNames } from '../../src-shared/schemas/output-pattern.js';
import type { Handlers } from './dispatch.js';
import type { ApiServices } from './services.js';

const MAX_RECENT_FOLDERS = 10;

/** "~" and "~/…" (or "~\…") as a shell reads them: the user's home folder. "~user" is left as it is. */
export function expandHome(path: string, home = homedir()): string {
  if (path === '~') return home;
  return /^~[\\/]/.test(path) ? home + path.slice(1) : path;
}

/**
 * What a typed or pasted path opens: a folder as itself; a photo, the folder that holds it with the
 * photo to select (a path copied from a file manager is often the photo's own).
 */
async function openTarget(typed: string): Promise<{ folder: string; select?: string }> {
  const path = expandHome(typed.trim());
  const info = await stat(path).catch(() => null);
  return info?.isFile() && isImageFileName(path) ? { folder: dirname(path), select: path } : { folder: path };
}

/** Opens a folder the user typed or picked (which grants access to it, as library:open does); answers its real path. */
export async function openFolder(services: ApiServices, folder: string): Promise<string> {
  try {
    return await services.access.allow(folder);
  } catch (error) {
    // A typed path that is relative or has ".." is a typo more often than an attack: say so plainly.
    if (error instanceof ClearframeError && error.code === 'forbidden') {
      throw new ClearframeError(
        'not-found',
        `${folder} is not a folder Clearframe can open: use a full path such as /home/you/Pictures.`,
        folder,
      );
    }
    throw error;
  }
}

export function libraryHandlers(services: ApiServices): Pick<Handlers, 'library:open' | 'library:thumbnail'> {
  // The one folder the library shows is watched; opening another stops the watch on the last.
  let watching: FolderWatch | undefined;
  return {
    'library:open': async (request, context) => {
      const { recursive } = request;
      const { folder, select } = await openTarget(request.folder);
      const real = await openFolder(services, folder);
      // The output settings tell the scan which photos already have a copy and which folders are outputs.
      const { outputPattern, outputFormat, defaultModels } = resolveDenoiseJob({}, services.settings.get());
      const outputs = {
        ...(outputPattern ? { outputPattern } : {}),
        ...(outputFormat ? { outputFormat } : {}),
        ...(defaultModels ? { defaultModels } : {}),
      };
      const engine = requireEngine(services);
      const scanned = await engine.client.scanFolder(real, recursive, outputs);
      // A photo without a denoised copy whose last denoise failed says so, as it did before a restart.
      const images = await Promise.all(
        scanned.images.map(async (image) => {
          const failed = image.denoisedCopy ? undefined : await engine.failures.reasonFor(image.path, image.modifiedMs);
          return failed ? { ...image, lastFailure: failed } : image;
        }),
      );
      const selected =
        select === undefined ? undefined : images.find((image) => image.relativePath === basename(select))?.path;
      const listing = { ...scanned, images, ...(selected ? { selected } : {}) };
      watching?.close();
      watching = watchFolder(real, { recursive, ignoredFolders: outputFolderNames(outputPattern) }, () =>
        context.emit('library:changed', { folder: real }),
      );
      const recent = [real, ...services.settings.get().recentFolders.filter((f) => f !== real)].slice(
        0,
        MAX_RECENT_FOLDERS,
      );
      services.settings.set({ recentFolders: recent });
      return listing;
    },
    'library:thumbnail': async ({ path, size }) => {
      const real = await services.access.check(path);
      const { data, ...image } = await requireEngine(services).client.thumbnail(real, size);
      return { ...image, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
    },
  };
}
