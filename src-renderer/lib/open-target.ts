// Where something dropped on the library (or named by the desktop) opens: a folder opens as itself;
// an image file opens the folder that holds it, with that photo selected, so dropping one photo
// from a file manager lands on it instead of failing as "not a folder". Paths are the OS's own
// (POSIX or Windows), split by lib/paths.ts.

import { parentFolder } from './paths.js';

export interface OpenTarget {
  folder: string;
  /** The photo to select once the folder is open. */
  select?: string;
}

/** `mime` is the dropped File's type: "image/…" for a photo, "" for a folder. */
export function dropTarget(path: string, mime: string): OpenTarget {
  if (!mime.startsWith('image/')) return { folder: path };
  const folder = parentFolder(path);
  return folder === undefined ? { folder: path } : { folder, select: path };
}
