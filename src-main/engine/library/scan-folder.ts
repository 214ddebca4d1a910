// Lists the images in a folder with what the library shows about each (dimensions, format, bit
// depth, channels, alpha), read from the file headers by sharp without decoding pixels. A file that
// looks like an image but cannot be read is reported in `skipped` with the reason, never dropped;
// so is a subfolder that cannot be listed, and the rest of the folder is still shown. Told the output
// settings, it leaves Clearframe's own output folders out of a recursive listing and says which photos
// already have a denoised copy (by the same naming rule the batch writes and skips with).
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { EngineError } from '../contract/engine-error.js';
import { ImageFormat } from '../../../src-shared/schemas/common.js';
import { outputFolderNames, outputFormatFor } from '../../../src-shared/schemas/output-pattern.js';
import type { ScanOutputs } from '../contract/denoise-job.js';
import { removeOrphanedTemps } from '../io/atomic-write.js';
import { readImageMetadata } from '../io/decode.js';
import { assertReadableFile } from '../io/image-errors.js';
import { unsupportedSamplesReason } from '../io/image-support.js';
import { existingDenoisedCopy } from '../io/output-naming.js';
import { isImageFileName } from '../contract/image-files.js';
import type { ImageEntry, LibraryOpenResponse, SkippedFile } from '../../../src-shared/schemas/library.js';

/** Reading headers is I/O bound; a few at a time keeps a slow disk busy without flooding it. */
const METADATA_CONCURRENCY = 4;

const BIT_DEPTH: Record<string, 8 | 16 | 32> = {
  uchar: 8,
  char: 8,
  ushort: 16,
  short: 16,
  uint: 32,
  int: 32,
  float: 32,
  double: 32,
};

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function folderProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'the folder disappeared while it was being read';
  return `the folder could not be read (${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? firstLine(error))}); its photos are not listed`;
}

/**
 * The folder's entries, and with `recursive` its subfolders' (symbolic links to folders are not
 * followed, so loops cannot trap the walk; output folders named in `skipFolders` are not entered). A
 * subfolder that cannot be read — no permission, or gone mid-scan (a card pulled out, a sync client) —
 * is reported in `unreadable` and the rest is listed; only the opened folder itself failing fails the scan.
 */
async function listEntries(
  folder: string,
  recursive: boolean,
  skipFolders: ReadonlySet<string>,
): Promise<{ entries: Dirent[]; unreadable: SkippedFile[] }> {
  const entries: Dirent[] = [];
  const unreadable: SkippedFile[] = [];
  const pending = [folder];
  for (let dir = pending.shift(); dir !== undefined; dir = pending.shift()) {
    let found: Dirent[];
    try {
      found = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (dir === folder) throw error;
      unreadable.push({ path: dir, reason: folderProblem(error) });
      continue;
    }
    await removeOrphanedTemps(
      dir,
      found.map((entry) => entry.name),
    ); // interrupted saves whose writer is gone
    for (const entry of found) {
      if (entry.isDirectory()) {
        if (recursive && !skipFolders.has(entry.name)) pending.push(join(dir, entry.name));
      } else {
        entries.push(entry);
      }
    }
  }
  return { entries, unreadable };
}

/**
 * The image files under `folder` (recursively with `recursive`) as absolute paths, and the
 * subfolders that could not be read: the library's listing, and the trainer's dataset (one rule for
 * what counts as a photo there, so the Train view's dataset check shows what training will use).
 * `links`: the library keeps only links that lead inside `folder` (the access policy serves nothing
 * else); a training set counts links wherever they lead.
 */
export async function listCandidateFiles(
  folder: string,
  recursive: boolean,
  skipFolders: ReadonlySet<string>,
  links: 'inside-only' | 'any' = 'inside-only',
): Promise<{ files: string[]; unreadable: SkippedFile[] }> {
  const { entries, unreadable } = await listEntries(folder, recursive, skipFolders);
  const candidates = entries.filter(
    (entry) => (entry.isFile() || entry.isSymbolicLink()) && !entry.name.startsWith('.') && isImageFileName(entry.name),
  );
  const files: string[] = [];
  for (const entry of candidates) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile() || links === 'any') {
      files.push(path);
      continue;
    }
    // A link counts when it leads inside the folder (the access policy serves nothing else); a
    // dangling link is kept so that describeImage reports it, a link out of the folder is left out.
    const real = await realpath(path).catch(() => undefined);
    if (real === undefined || isInside(folder, real)) files.push(path);
  }
  return { files, unreadable };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}

/** Reads one file's header into a library entry, or the reason it cannot be shown. */
export async function describeImage(path: string, folder: string): Promise<ImageEntry | SkippedFile> {
  try {
    await assertReadableFile(path);
    const [info, meta] = await Promise.all([stat(path), readImageMetadata(path)]);
    const format = ImageFormat.safeParse(meta.format === 'heif' && meta.compression === 'av1' ? 'avif' : meta.format);
    if (!format.success) return { path, reason: `${meta.format ?? 'unknown'} images are not supported` };
    if (!meta.width || !meta.height) return { path, reason: 'the file has no image dimensions' };
    const unsupported = unsupportedSamplesReason(meta);
    if (unsupported) return { path, reason: unsupported };
    const channels = Math.min(4, Math.max(1, meta.channels ?? 3));
    // EXIF orientations 5–8 rotate by 90°: show the size the user will see.
    const swap = (meta.orientation ?? 1) >= 5;
    return {
      path,
      name: relative(folder, path).split(/[\\/]/).pop() ?? path,
      relativePath: relative(folder, path),
      sizeBytes: info.size,
      modifiedMs: info.mtimeMs,
      format: format.data,
      width: swap ? meta.height : meta.width,
      height: swap ? meta.width : meta.height,
      channels,
      bitDepth: BIT_DEPTH[meta.depth ?? 'uchar'] ?? 8,
      hasAlpha: meta.hasAlpha ?? false,
    };
  } catch (error) {
    if (error instanceof EngineError) return { path, reason: error.message.replace(/^[^:]*: /, '') };
    return { path, reason: `not a readable image: ${firstLine(error)}` };
  }
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The copy `entry` already has by the naming rule, or undefined. A pattern with {model} needs the
 * default model's id; with the automatic choice it is not known here, so such photos show no badge.
 */
async function denoisedCopyOf(entry: ImageEntry, outputs: ScanOutputs): Promise<string | undefined> {
  const pattern = outputs.outputPattern;
  const modelId = (entry.channels <= 2 ? outputs.defaultModels?.grey : outputs.defaultModels?.colour) ?? '';
  if (pattern?.includes('{model}') && !modelId) return undefined;
  return existingDenoisedCopy(entry.path, {
    ...(pattern ? { pattern } : {}),
    format: outputs.outputFormat ?? outputFormatFor(entry.format),
    modelId,
  });
}

/** `folder` must already be a real, allowed folder path (see AllowedFolders.allow). */
export async function scanFolder(
  folder: string,
  recursive: boolean,
  outputs?: ScanOutputs,
): Promise<LibraryOpenResponse> {
  let files: string[];
  let unreadable: SkippedFile[];
  try {
    ({ files, unreadable } = await listCandidateFiles(
      folder,
      recursive,
      recursive && outputs ? outputFolderNames(outputs.outputPattern) : new Set(),
    ));
  } catch (error) {
    throw new EngineError('io', `The folder ${folder} could not be listed: ${firstLine(error)}`, folder);
  }
  // The output folders are not walked, but interrupted saves there are swept as in the folder itself.
  for (const name of outputFolderNames(outputs?.outputPattern)) await removeOrphanedTemps(join(folder, name));
  const described = await mapLimited(files, METADATA_CONCURRENCY, async (file) => {
    const item = await describeImage(file, folder);
    if ('reason' in item || !outputs) return item;
    const copy = await denoisedCopyOf(item, outputs);
    return copy ? { ...item, denoisedCopy: copy } : item;
  });
  // A pattern that writes beside the originals ({name}-clean) has no folder to leave out: a photo
  // that is another listed photo's copy by the naming rule is an output, not a photo to denoise.
  const copies = new Set(
    described.flatMap((item) => ('denoisedCopy' in item && item.denoisedCopy ? [item.denoisedCopy] : [])),
  );
  const images: ImageEntry[] = [];
  const skipped: SkippedFile[] = [...unreadable];
  for (const item of described) {
    if ('reason' in item) skipped.push(item);
    else if (!copies.has(item.path)) images.push(item);
  }
  const byPath = (a: { path: string }, b: { path: string }): number =>
    a.path.localeCompare(b.path, undefined, { numeric: true, sensitivity: 'base' });
  return { folder, images: images.sort(byPath), skipped: skipped.sort(byPath) };
}
