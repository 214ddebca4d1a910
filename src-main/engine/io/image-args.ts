// Turns "files or folders" arguments (the CLI's, a test set's) into a list of image files
// (folders: their images, not recursive, sorted by name).
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isImageFileName } from '../contract/image-files.js';

export async function expandImageArgs(args: readonly string[]): Promise<{ files: string[]; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  for (const arg of args) {
    const path = resolve(arg);
    const info = await stat(path).catch(() => undefined);
    if (!info) missing.push(arg);
    else if (info.isDirectory()) {
      const names = (await readdir(path)).filter((n) => isImageFileName(n) && !n.startsWith('.')).sort();
      files.push(...names.map((n) => join(path, n)));
    } else files.push(path);
  }
  return { files, missing };
}
