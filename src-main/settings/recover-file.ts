// A settings file cut short (a crash or power loss mid-write, a full disk) or emptied must not stop
// the app: conf and electron-store throw on a file they cannot parse. Before either opens it, a
// damaged file — unparsable, not settings, a folder, unreadable, or far too large to be settings —
// is moved aside to <file>.bak — kept, so nothing the user set is destroyed — the app starts from
// defaults, and the reset is reported (app:info's `warnings`, and on stderr) with the file and the
// reason. Earlier backups are kept too, numbered (<file>.bak.2 is the one before, up to
// MAX_BACKUPS). A missing file is normal (first start) and left to the store to create.
import { existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename } from 'node:path';

/** Settings are a few kilobytes; a file over this is not settings (and reading it whole could exhaust memory). */
const MAX_SETTINGS_BYTES = 1024 * 1024;
/** How many damaged files are kept: <file>.bak (the latest), <file>.bak.2 … <file>.bak.N (the oldest). */
export const MAX_BACKUPS = 5;

export interface FileReset {
  file: string;
  backup: string;
  reason: string;
}

function damage(text: string): string | undefined {
  if (text.trim() === '') return 'it was empty';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `it was not valid JSON (${(error as Error).message})`;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : 'it did not hold settings';
}

/** Why `file` cannot be settings, or undefined when it reads as settings; null when it is missing (first start). */
function fileDamage(file: string): string | undefined | null {
  let size: number;
  try {
    const info = statSync(file);
    if (!info.isFile()) return 'it was a folder, not a file';
    size = info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return `it could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
  if (size > MAX_SETTINGS_BYTES) return `it was ${(size / 1024 / 1024).toFixed(0)} MB, far larger than settings are`;
  try {
    return damage(readFileSync(file, 'utf8'));
  } catch (error) {
    return `it could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
}

/** `<file>.bak` for the latest backup, `<file>.bak.N` for older ones. */
function backupName(file: string, n: number): string {
  return n === 1 ? `${file}.bak` : `${file}.bak.${n}`;
}

/** Moves `file` to `<file>.bak`, the earlier backups one number up; the oldest beyond MAX_BACKUPS goes. */
function keepAsBackup(file: string): string {
  rmSync(backupName(file, MAX_BACKUPS), { recursive: true, force: true });
  for (let n = MAX_BACKUPS - 1; n >= 1; n--)
    if (existsSync(backupName(file, n))) renameSync(backupName(file, n), backupName(file, n + 1));
  renameSync(file, backupName(file, 1));
  return backupName(file, 1);
}

/** Moves `file` aside when it is damaged; answers what was done, or undefined when it was fine. */
export function recoverJsonFile(file: string): FileReset | undefined {
  const reason = fileDamage(file);
  if (reason === undefined || reason === null) return undefined;
  return { file, backup: keepAsBackup(file), reason };
}

export function describeReset(reset: FileReset): string {
  return `${basename(reset.file)} was reset to the defaults because ${reset.reason}; the damaged file was kept as ${reset.backup}.`;
}
