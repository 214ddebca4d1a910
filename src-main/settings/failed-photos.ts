// Photos whose last denoise failed, kept on disk so the library's "failed" badge (and its reason)
// survives a restart, as the "denoised" badge does by finding the copy on disk. A failure leaves
// nothing beside the photo, so it is written down here: one small JSON file in the data folder,
// written atomically, bounded, and read leniently (a damaged file means no remembered failures,
// never a stopped app). A later success, or a photo changed since it failed, clears the entry.
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';

/** Enough for a few big batches; the oldest failures are forgotten first. */
export const MAX_REMEMBERED_FAILURES = 2000;

const Entry = z.object({ reason: z.string().max(2000), modifiedMs: z.number() });
const FileShape = z.object({ failures: z.record(z.string(), Entry) });
type Entry = z.infer<typeof Entry>;

export class FailedPhotos {
  readonly file: string;
  #entries: Map<string, Entry> | undefined;
  #writing: Promise<void> = Promise.resolve();
  #pending: Promise<void> | undefined;
  #order: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.file = join(dataDir, 'failed-photos.json');
  }

  /** The reason `path` failed last time, unless it has changed since (then it may well work now). */
  async reasonFor(path: string, modifiedMs: number): Promise<string | undefined> {
    const entry = (await this.#load()).get(path);
    return entry && entry.modifiedMs === modifiedMs ? entry.reason : undefined;
  }

  async record(path: string, reason: string): Promise<void> {
    const modifiedMs = stat(path).then(
      (s) => s.mtimeMs,
      () => -1,
    );
    await this.#inOrder(async (entries) => {
      entries.delete(path); // re-inserted last: the newest
      entries.set(path, { reason: reason.slice(0, 2000), modifiedMs: await modifiedMs });
      while (entries.size > MAX_REMEMBERED_FAILURES) entries.delete(entries.keys().next().value!);
      return true;
    });
  }

  async clear(path: string): Promise<void> {
    await this.#inOrder(async (entries) => entries.delete(path));
  }

  /** Applies changes in the order they were asked for (so "newest" means last asked), then saves if one changed anything. */
  async #inOrder(change: (entries: Map<string, Entry>) => Promise<boolean>): Promise<void> {
    const applied = this.#order.then(async () => change(await this.#load()));
    this.#order = applied.then(
      () => undefined,
      () => undefined,
    );
    if (await applied) await this.#save();
  }

  async #load(): Promise<Map<string, Entry>> {
    if (!this.#entries) {
      const parsed = await readFile(this.file, 'utf8')
        .then(
          (text) => FileShape.safeParse(JSON.parse(text)),
          () => undefined,
        )
        .catch(() => undefined);
      this.#entries ??= new Map(parsed?.success ? Object.entries(parsed.data.failures) : []);
    }
    return this.#entries;
  }

  /**
   * Writes one after another, each the whole current map; calls that arrive while one waits share
   * it (a batch of failures costs a few writes, not one each). A full disk costs the memory, not the batch.
   */
  #save(): Promise<void> {
    if (this.#pending) return this.#pending;
    this.#pending = this.#writing.then(() => {
      this.#pending = undefined;
      return writeWhole(this.file, JSON.stringify({ failures: Object.fromEntries(this.#entries ?? []) })).catch(
        () => undefined,
      );
    });
    this.#writing = this.#pending;
    return this.#pending;
  }
}

/** Temp file + rename: the file is the old one or the new one, never half of one. */
async function writeWhole(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, file);
}
