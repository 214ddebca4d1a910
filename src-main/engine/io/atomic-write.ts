// Files appear whole or not at all: write to a hidden temp file in the destination folder (same
// filesystem, so rename is atomic), then rename. The temp file is removed on any failure, on a
// signal (removeInFlightTemps), and by the next writer or folder scan when its writer died.
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { link, open, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { controlCharacterProblem } from '../../../src-shared/schemas/common.js';
import { EngineError } from '../contract/engine-error.js';

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

/**
 * Throws unless `path` reaches the file system as it reads. libvips and the C library end a path at
 * its first NUL: "orig.jpg\u0000" handed to sharp would write ".orig.jpg", another file of the
 * user's. Checked on the exact paths given to sharp, whatever the caller validated before.
 */
export function assertExactPath(path: string): void {
  const problem = controlCharacterProblem(path);
  if (problem)
    throw new EngineError(
      'invalid-request',
      `${JSON.stringify(basename(path))} cannot be written: the name ${problem}.`,
      path,
    );
}

/** Temp files being written now by this process: a signal handler removes them before exiting. */
const inFlight = new Set<string>();

/** Removes this process's unfinished temp files (synchronously: called as the process is about to exit on a signal). */
export function removeInFlightTemps(): void {
  for (const temp of inFlight) {
    try {
      unlinkSync(temp);
    } catch {
      // already moved into place or removed
    }
  }
  inFlight.clear();
}

/** When this process started (ms since the epoch): a temp file older than that was not written by it. */
const PROCESS_START_MS = Date.now() - process.uptime() * 1000;
/** A temp file of another live process is left alone unless untouched this long (and older than this process). */
const STALE_AFTER_MS = 60_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An orphan: its writer is dead, or its process id now belongs to another process (ids are reused
 * after a restart) and the file has not been touched since before this process started.
 */
async function isOrphaned(path: string, pid: number): Promise<boolean> {
  if (pid === process.pid) return false;
  if (!isAlive(pid)) return true;
  const modified = await stat(path).then(
    (s) => s.mtimeMs,
    () => Number.POSITIVE_INFINITY,
  );
  return modified < PROCESS_START_MS && modified < Date.now() - STALE_AFTER_MS;
}

/**
 * Removes the temp files in `dir` left by writers that died mid-write (an engine process killed
 * or crashed while saving): the catch block of commitAtomically never ran for them. Called when a
 * folder is written and when it is opened. `names` is the folder's listing when the caller has it.
 */
export async function removeOrphanedTemps(dir: string, names?: readonly string[]): Promise<void> {
  for (const name of names ?? (await readdir(dir).catch(() => [] as string[]))) {
    const pid = Number(TEMP_NAME.exec(name)?.[1] ?? Number.NaN);
    if (Number.isInteger(pid) && (await isOrphaned(join(dir, name), pid)))
      await unlink(join(dir, name)).catch(() => undefined);
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
export async function commitAtomically(
  target: string,
  produce: (tempPath: string) => Promise<void>,
  noClobber = false,
  beforeMove?: (target: string) => void,
): Promise<void> {
  assertExactPath(target);
  const temp = tempPathFor(target);
  assertExactPath(temp);
  inFlight.add(temp);
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
  } finally {
    inFlight.delete(temp);
  }
}

export function writeFileAtomic(target: string, data: Uint8Array | string, noClobber = false): Promise<void> {
  return commitAtomically(target, (temp) => writeFile(temp, data), noClobber);
}
