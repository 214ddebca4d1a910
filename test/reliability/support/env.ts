// Shared helpers for the reliability suite: where things are, temp folders, file fingerprints.
import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** True when this process can read files whatever their mode bits (root, CAP_DAC_OVERRIDE). */
export const ignoresPermissions = process.getuid?.() === 0;

/** The long parts (500-image load test) only run with CLEARFRAME_RELIABILITY_FULL=1. */
export const fullRun = process.env.CLEARFRAME_RELIABILITY_FULL === '1';

const made: string[] = [];
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `clearframe-rel-${prefix}-`));
  made.push(dir);
  return dir;
}
export async function removeTempDirs(): Promise<void> {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
}

export async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** Every regular file and link under `dir` (not following links), as paths relative to it. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (sub: string): Promise<void> => {
    for (const entry of await readdir(join(dir, sub), { withFileTypes: true })) {
      const rel = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) await walk(rel);
      else out.push(rel);
    }
  };
  await walk('');
  return out.sort();
}

/** Fingerprints of every file under `dir`, to prove later that none of them changed. */
export async function fingerprint(dir: string): Promise<Map<string, string>> {
  const prints = new Map<string, string>();
  for (const rel of await listFiles(dir)) {
    const path = join(dir, rel);
    const info = await lstat(path);
    if (!info.isFile()) continue;
    try {
      prints.set(rel, await sha256(path));
    } catch {
      prints.set(rel, `unreadable:${info.size}:${info.mtimeMs}`);
    }
  }
  return prints;
}

/** Names that look like leftovers of an interrupted write (temp files, partial outputs). */
export function looksTemporary(name: string): boolean {
  return /(\.tmp|\.temp|\.part|\.partial|~)$|\.tmp[-.]|^\.|\.clearframe-|\.cf-tmp/i.test(name.split('/').pop() ?? name);
}
