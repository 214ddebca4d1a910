// Files appear whole or not at all: write to a hidden temp file in the destination folder (same
// filesystem, so rename is atomic), then rename. The temp file is removed on any failure.
import { randomBytes } from 'node:crypto';
import { link, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Characters of the target's name kept in the temp name: 32 code points are at most 128 bytes. */
const TEMP_NAME_KEEP = 32;

/**
 * A temp path beside `target`, hidden and unmistakably ours. The name is shortened so that the
 * temp name fits the 255-byte limit even when the target's own name nearly fills it.
 */
export function tempPathFor(target: string): string {
  const name = Array.from(basename(target)).slice(0, TEMP_NAME_KEEP).join('');
  return join(dirname(target), `.${name}.${randomBytes(6).toString('hex')}.clearframe-tmp`);
}

/**
 * Produces `target` through `produce(tempPath)`, then moves it into place. With `noClobber`, an
 * existing target is never replaced: link() fails with EEXIST instead (rename would overwrite).
 */
export async function commitAtomically(target: string, produce: (tempPath: string) => Promise<void>, noClobber = false): Promise<void> {
  const temp = tempPathFor(target);
  try {
    await produce(temp);
    if (noClobber) {
      await link(temp, target);
      await unlink(temp);
    } else {
      await rename(temp, target);
    }
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

export function writeFileAtomic(target: string, data: Uint8Array | string, noClobber = false): Promise<void> {
  return commitAtomically(target, (temp) => writeFile(temp, data), noClobber);
}
