// Where Clearframe's shipped files (icons, default models) live, in development and when packaged.
// Pure Node on purpose: the engine, the CLI and the browser host need it without Electron.
//   development: <repo>/assets/...            (this file runs from src-main/ or dist/node/src-main/)
//   packaged:    <process.resourcesPath>/...  (electron-builder's extraResources copies assets/models
//                                             there, outside app.asar, so native code can mmap them)
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Electron adds `resourcesPath` to `process`; plain Node does not have it. */
function electronResourcesPath(): string | undefined {
  const value = (process as NodeJS.Process & { resourcesPath?: unknown }).resourcesPath;
  return typeof value === 'string' ? value : undefined;
}

/** True inside a packaged app (code loaded from app.asar), false in a checkout or under tests. */
export function isPackaged(moduleUrl: string = import.meta.url): boolean {
  return electronResourcesPath() !== undefined && fileURLToPath(moduleUrl).includes('app.asar');
}

/** The repository root: the nearest ancestor holding package.json and assets/. */
export function repoRoot(moduleUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  const { root } = parse(dir);
  while (dir !== root) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'assets'))) return dir;
    dir = dirname(dir);
  }
  throw new Error(
    `Could not find Clearframe's repository root above ${fileURLToPath(moduleUrl)} (no package.json beside an assets/ folder).`,
  );
}

/**
 * The folder holding a shipped resource: `resourcePath('models')` is assets/models in development
 * and <resources>/models when packaged (see extraResources in electron-builder.yml).
 */
export function resourcePath(...segments: string[]): string {
  const resources = electronResourcesPath();
  if (resources !== undefined && isPackaged()) return join(resources, ...segments);
  return join(repoRoot(), 'assets', ...segments);
}

/** The shipped default models (one folder per model: card.json, model.json, model.onnx). */
export function shippedModelsDir(): string {
  return resourcePath('models');
}

export interface AppPackage {
  name: string;
  productName?: string;
  version: string;
  license?: string;
  dependencies?: Record<string, string>;
}

/**
 * The folder of Clearframe's own package.json: the nearest one named "clearframe" above this module
 * (the checkout when running from src-main/ or dist/, app.asar when packaged).
 */
export function appDir(moduleUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as AppPackage).name === 'clearframe')
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Could not find Clearframe's package.json above ${fileURLToPath(moduleUrl)}.`);
    dir = parent;
  }
}

/** Clearframe's own package.json (see appDir). */
export function appPackage(moduleUrl: string = import.meta.url): AppPackage {
  return JSON.parse(readFileSync(join(appDir(moduleUrl), 'package.json'), 'utf8')) as AppPackage;
}
