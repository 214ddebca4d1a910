// A settings file cut short (a crash or power loss mid-write, a full disk) or emptied must not stop
// the app: conf and electron-store throw on a file they cannot parse. Before either opens it, a
// damaged file is moved aside to <file>.bak — kept, so nothing the user set is destroyed — the app
// starts from defaults, and the reset is reported (app:info's `warnings`, and on stderr) with the
// file and the reason. A missing file is normal (first start) and left to the store to create.
import { readFileSync, renameSync } from 'node:fs';
import { basename } from 'node:path';

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

/** Moves `file` aside when it is damaged; answers what was done, or undefined when it was fine. */
export function recoverJsonFile(file: string): FileReset | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined; // missing (first start), or unreadable: the store reports that itself
  }
  const reason = damage(text);
  if (reason === undefined) return undefined;
  const backup = `${file}.bak`;
  renameSync(file, backup);
  return { file, backup, reason };
}

export function describeReset(reset: FileReset): string {
  return `${basename(reset.file)} was reset to the defaults because ${reset.reason}; the damaged file was kept as ${reset.backup}.`;
}
