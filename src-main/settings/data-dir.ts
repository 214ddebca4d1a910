// Where Clearframe keeps its settings and caches. Matches Electron's app.getPath('userData') for an
// app named "Clearframe", so the desktop app and the browser host share one config.json.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_FOLDER_NAME = 'Clearframe';

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.CLEARFRAME_DATA_DIR) return env.CLEARFRAME_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_FOLDER_NAME);
}

/** Training runs started without a folder of their own: one folder each, beside the user's models rather than among their photos. */
export function trainRunsDir(dataDir: string): string {
  return join(dataDir, 'runs');
}

/**
 * Library thumbnails (rebuilt at will). Not "Cache": in Electron's userData that is Chromium's HTTP
 * cache, and on case-insensitive disks "cache" would be the same folder.
 */
export function thumbnailCacheDir(dataDir: string): string {
  return join(dataDir, 'Thumbnails');
}
