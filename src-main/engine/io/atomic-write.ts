// Files appear whole or not at all: write to a hidden temp file in the destination folder (same
// filesystem, so rename is atomic), then rename. The temp file is removed on any failure.
import { randomBytes } from 'node:crypto';
import { link, open, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Characters of the target's name kept in the temp name: 32 code points are at most 128 bytes. */
const TEMP_NAME_KEEP = 32;

/**
 * A temp path beside `target`, hidden and unmistakably ours, naming the writing process so that a
 * later writer can tell an orphan from a file still being written. The name is shortened so that
 * the temp name fits the 255-byte limit even when the target's own name nearly fills it.
 */
export function tempPathFor(target: string): string {
  const name = Array.from(basename(target)).slice(0, TEMP_NAME_KEEP).join('');
  return join(dirname(target), `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.clearframe-tmp`);
}

const TEMP_NAME = /^\..*\.(\d+)\.[0-9a-f]{12}\.clearframe-tmp$/;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files in `dir` left by writers that died mid-write (an engine process killed
 * or crashed while saving): the catch block of commitAtomically never ran for them. `names` is the
 * folder's listing when the caller already has it.
 */
export async function removeOrphanedTemps(dir: string, names?: readonly string[]): Promise<void> {
  for (const name of names ?? (await readdir(dir).catch(() => [] as string[]))) {
    const pid = Number(TEMP_NAME.exec(name)?.[1] ?? Number.NaN);
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) await unlink(join(dir, name)).catch(() => undefined);
  }
}

/**
 * Moves the finished `temp` to `target` unless `target` exists (then throws EEXIST and leaves both
 * alone). link() is the atomic way, but FAT32 and exFAT (most SD cards and USB sticks) have no hard
 * links and refuse it (EPERM on Linux, other codes elsewhere). There the name is claimed with an
 * exclusive create ('wx', which fails with EEXIST when taken) and the temp file renamed over that
 * claim, which is ours: the content still appears whole, and an existing file is still never
 * replaced. Any link() failure but EEXIST takes that route; it surfaces its own error if it fails.
 */
export async function moveNoClobber(temp: string, target: string): Promise<void> {
  try {
    await link(temp, target);
    await unlink(temp);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error;
  }
  await (await open(target, 'wx')).close();
  try {
    await rename(temp, target);
  } catch (error) {
    await unlink(target).catch(() => undefined);
    throw error;
  }
}

/**
 * Produces `target` through `produce(tempPath)`, then moves it into place. With `noClobber`, an
 * existing target is never replaced: the move fails with EEXIST instead (rename would overwrite).
 * `beforeMove` hears the final path once the content is complete, just before it is moved there.
 */
export async function commitAtomically(target: string, produce: (tempPath: string) => Promise<void>, noClobber = false, beforeMove?: (target: string) => void): Promise<void> {
  const temp = tempPathFor(target);
  try {
    await produce(temp);
    beforeMove?.(target); // told before the move: a crash right after it still leaves the name known
    if (noClobber) {
      await moveNoClobber(temp, target);
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
