// The folder named on the command line, for `clearframe /path/to/photos` and for a second launch
// forwarded to the running instance. Electron's argv holds the executable, in development the app
// path ("."), and Chromium switches: the folder is the last argument that is an existing directory
// other than the app itself. An image file (a desktop "Open with Clearframe" of a JPEG, see the
// MIME types in electron-builder.yml) opens the folder that holds it, with that photo as the one to
// select. GNOME and other desktops following the desktop-entry spec pass "file:///…" URIs (%U), with
// spaces and non-ASCII percent-encoded; they are accepted like plain paths.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isImageFileName } from '../engine/contract/image-files.js';

export interface OpenTarget {
  folder: string;
  /** The photo to select in it, when an image rather than a folder was named. */
  file?: string;
}

/** A command-line argument as a path: a file:// URI decoded, anything else relative to `cwd`. */
function argPath(arg: string, cwd: string): string | undefined {
  if (!/^file:/i.test(arg)) return resolve(cwd, arg);
  try {
    return fileURLToPath(arg);
  } catch {
    return undefined; // a file URI on another host, or malformed
  }
}

export function openTargetFromArgv(argv: readonly string[], cwd: string, appPath: string): OpenTarget | undefined {
  const app = resolve(appPath);
  for (const arg of [...argv.slice(1)].reverse()) {
    if (arg.startsWith('-')) continue;
    const candidate = argPath(arg, cwd);
    if (candidate === undefined || candidate === app) continue;
    try {
      const info = statSync(candidate);
      if (info.isDirectory()) return { folder: candidate };
      if (info.isFile() && isImageFileName(candidate)) return { folder: dirname(candidate), file: candidate };
    } catch {
      // Not a path at all (or unreadable): keep looking.
    }
  }
  return undefined;
}

export function folderFromArgv(argv: readonly string[], cwd: string, appPath: string): string | undefined {
  return openTargetFromArgv(argv, cwd, appPath)?.folder;
}
