// The clean photos a camera run learns from, as a folder the trainer reads: the picked photos of the
// user's library (pick-clean.ts) linked into a folder of their own beside the run, so the library is
// neither copied nor written to. Shared by `clearframe train --preset camera` and Train → Your camera.
import { mkdir, readdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { EngineError } from '../contract/engine-error.js';

/** Fewer clean photos than this is too few to fine-tune on without overfitting them. */
export const MIN_CLEAN_PHOTOS = 8;

/** Why `count` clean photos of `folder` cannot be learned from, or undefined when they can; `instead` says what to do. */
export function tooFewCleanPhotos(count: number, folder: string, instead: string): string | undefined {
  if (count >= MIN_CLEAN_PHOTOS) return undefined;
  return `Only ${count} photo(s) in ${folder} are low-ISO (EXIF ISO ≤ 400) and sharp; ${MIN_CLEAN_PHOTOS} are needed. ${instead}`;
}

/** Links `files` of `folder` into `target`, made afresh (the links an earlier run made are replaced). */
export async function linkCleanPhotos(folder: string, files: readonly string[], target: string): Promise<void> {
  await clearLinkFolder(target);
  for (const file of files) await symlink(path.join(folder, file), path.join(target, file));
}

/**
 * Empties `target` of the links an earlier run made, or makes it; a folder holding anything but links
 * is the user's, and is refused rather than cleared.
 */
async function clearLinkFolder(target: string): Promise<void> {
  const entries = await readdir(target, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const foreign = entries.filter((e) => !e.isSymbolicLink());
  if (foreign.length > 0) {
    throw new EngineError(
      'invalid-request',
      `${target} holds files of its own (${foreign[0]!.name}…); choose another output folder, or move that folder`,
      target,
    );
  }
  for (const e of entries) await rm(path.join(target, e.name));
  await mkdir(target, { recursive: true });
}
