// The folder named on the command line, for `clearframe /path/to/photos` and for a second launch
// forwarded to the running instance. Electron's argv holds the executable, in development the app
// path ("."), and Chromium switches: the folder is the last argument that is an existing directory
// other than the app itself.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';

export function folderFromArgv(argv: readonly string[], cwd: string, appPath: string): string | undefined {
  const app = resolve(appPath);
  for (const arg of [...argv.slice(1)].reverse()) {
    if (arg.startsWith('-')) continue;
    const candidate = resolve(cwd, arg);
    if (candidate === app) continue;
    try {
      if (statSync(candidate).isDirectory()) return candidate;
    } catch {
      // Not a path at all (or unreadable): keep looking.
    }
  }
  return undefined;
}
