// Watches the folder open in the Library, so photos copied in or deleted while it is open show up
// without reopening it. Only names are looked at (fs.watch, no file is read), debounced so a card
// import of 500 photos is one re-list (or one every 2 s while a long copy goes on); changes inside Clearframe's output folders and to hidden or
// temporary files (the atomic writer's ".…clearframe-tmp") do not count, so a running batch does not
// make the library re-list itself after every photo.
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { isImageFileName } from '../engine/contract/image-files.js';

const DEBOUNCE_MS = 300;
/** While changes go on (an 18-s copy of a card), the listing is still refreshed this often. */
export const MAX_WAIT_MS = 2_000;

export interface FolderWatch {
  close(): void;
}

/** Whether a change to `name` (relative to the watched folder; null when the OS does not say) can change the listing. */
export function changeMatters(name: string | null, ignoredFolders: ReadonlySet<string>, recursive: boolean): boolean {
  if (name === null) return true;
  const parts = name.split(/[\\/]/).filter(Boolean);
  if (parts.some((part) => part.startsWith('.') || ignoredFolders.has(part))) return false;
  const last = parts.at(-1) ?? '';
  if (isImageFileName(last)) return true;
  // A subfolder appearing or going changes the listing only when subfolders are listed.
  return recursive && !last.includes('.');
}

/**
 * Calls `onChange` (debounced, and at least every MAX_WAIT_MS while changes continue) when photos may have been added to or removed from `folder`; once,
 * and then stops, when the folder itself goes (a card pulled out): the re-list then says why.
 * A folder that cannot be watched (no more watchers, some network shares) just does not refresh by itself.
 */
export function watchFolder(
  folder: string,
  options: { recursive: boolean; ignoredFolders: ReadonlySet<string> },
  onChange: () => void,
): FolderWatch {
  let timer: NodeJS.Timeout | undefined;
  let maxWait: NodeJS.Timeout | undefined; // started by a burst's first change, not moved by the rest
  let watcher: FSWatcher | undefined;
  const stop = (): void => {
    watcher?.close();
    watcher = undefined;
  };
  const cancel = (): void => {
    clearTimeout(timer);
    clearTimeout(maxWait);
    timer = maxWait = undefined;
  };
  const refresh = (): void => {
    cancel();
    onChange();
  };
  const changed = (): void => {
    clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
    maxWait ??= setTimeout(refresh, MAX_WAIT_MS);
  };
  try {
    watcher = watch(folder, { recursive: options.recursive, persistent: false }, (event, name) => {
      if (event === 'rename' && !existsSync(folder)) {
        stop();
        changed();
      } else if (changeMatters(name === null ? null : String(name), options.ignoredFolders, options.recursive)) {
        changed();
      }
    });
    watcher.on('error', () => {
      stop();
      changed();
    });
  } catch {
    watcher = undefined;
  }
  return {
    close: () => {
      cancel();
      stop();
    },
  };
}
