// Keeps the thumbnail cache within its size: when a write takes it past the cap, the least recently
// used entries go first until it is back under a lower mark (so pruning is rare, not every write).
// "Used" is the file's mtime: the cache touches an entry each time it serves it, because atime is
// not kept on most mounts (noatime, relatime). Entries are rebuilt at will, so deleting is safe; a
// file that vanishes meanwhile (another process pruning) is simply skipped.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

interface Entry {
  path: string;
  size: number;
  mtimeMs: number;
}

/** Every file one or two levels under `directory` (the cache shards its entries by key prefix). */
async function listEntries(directory: string): Promise<Entry[]> {
  const entries: Entry[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    const names = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const dirent of names) {
      const path = join(dir, dirent.name);
      if (dirent.isDirectory()) {
        if (depth === 0) await visit(path, 1);
        continue;
      }
      if (!dirent.isFile()) continue;
      const info = await stat(path).catch(() => undefined);
      if (info) entries.push({ path, size: info.size, mtimeMs: info.mtimeMs });
    }
  };
  await visit(directory, 0);
  return entries;
}

/** Bytes the cache holds now. */
export async function cacheSize(directory: string): Promise<number> {
  return (await listEntries(directory)).reduce((sum, entry) => sum + entry.size, 0);
}

/**
 * Deletes the least recently used entries until at most `keepBytes` remain; answers the bytes left.
 * `protect` (the entry just written) is never deleted.
 */
export async function evictLeastRecentlyUsed(directory: string, keepBytes: number, protect?: string): Promise<number> {
  const entries = await listEntries(directory);
  let total = entries.reduce((sum, entry) => sum + entry.size, 0);
  entries.sort((a, b) => a.mtimeMs - b.mtimeMs);
  for (const entry of entries) {
    if (total <= keepBytes) break;
    if (entry.path === protect) continue;
    const removed = await rm(entry.path, { force: true }).then(
      () => true,
      () => false,
    );
    if (removed) total -= entry.size;
  }
  return total;
}
