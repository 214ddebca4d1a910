// The folder named on the command line, for `clearframe /path/to/photos` and for a second launch
// forwarded to the running instance. Electron's argv holds the executable, in development the app
// path ("."), and Chromium switches: the folder is the last argument that is an existing directory
// other than the app itself. An image file (a desktop "Open with Clearframe" of a JPEG, see the
// MIME types in electron-builder.yml) opens the folder that holds it.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isImageFileName } from '../engine/library/image-files.js';

export function folderFromArgv(argv: readonly string[], cwd: string, appPath: string): string | undefined {
  const app = resolve(appPath);
  for (const arg of [...argv.slice(1)].reverse()) {
    if (arg.startsWith('-')) continue;
    const candidate = resolve(cwd, arg);
    if (candidate === app) continue;
    try {
      const info = statSync(candidate);
      if (info.isDirectory()) return candidate;
      if (info.isFile() && isImageFileName(candidate)) return dirname(candidate);
    } catch {
      // Not a path at all (or unreadable): keep looking.
    }
  }
  return undefined;
}
