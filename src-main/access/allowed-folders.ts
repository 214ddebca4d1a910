// The allowed-folders policy: the renderer may only read files inside folders the user opened.
// Every path from the renderer (thumbnails, /image, clearframe-image://, denoise inputs) goes through
// `check` first. Paths are compared after realpath, so a symlink inside an opened folder that points
// outside it is refused, and `..` is refused outright rather than normalised away.
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { ClearframeError } from '../../src-shared/contract-core.js';

export interface AllowedFoldersOptions {
  /** Compare paths case-insensitively (Windows and default macOS volumes). */
  caseInsensitive?: boolean;
}

function hasParentSegment(path: string): boolean {
  return path.split(/[\\/]+/).includes('..');
}

/** Absolute for this OS; on Windows a rooted path without a drive (\\foo) does not count. */
function isAbsoluteHere(path: string): boolean {
  return process.platform === 'win32' ? /^([a-zA-Z]:[\\/]|[\\/]{2}[^\\/])/.test(path) : isAbsolute(path);
}

async function realOrThrow(path: string, what: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new ClearframeError('not-found', `${what} ${path} does not exist.`, path);
    throw new ClearframeError('io', `${what} ${path} could not be read (${code ?? 'unknown error'}).`, path);
  }
}

export class AllowedFolders {
  /** Real paths of the opened folders: the authoritative test. */
  readonly #realFolders = new Set<string>();
  /** The same folders as the user spelled them (they differ when a parent is a symlink). */
  readonly #givenFolders = new Set<string>();
  readonly #caseInsensitive: boolean;

  constructor(options: AllowedFoldersOptions = {}) {
    this.#caseInsensitive = options.caseInsensitive ?? (process.platform === 'win32' || process.platform === 'darwin');
  }

  /** Records a folder the user opened; answers its real path. */
  async allow(folder: string): Promise<string> {
    this.#refuseUnsafeSyntax(folder);
    const real = await realOrThrow(folder, 'The folder');
    if (!(await stat(real)).isDirectory()) throw new ClearframeError('not-found', `${folder} is not a folder.`, folder);
    this.#realFolders.add(real);
    this.#givenFolders.add(resolve(folder));
    return real;
  }

  /** The real paths of the folders opened so far. */
  folders(): readonly string[] {
    return [...this.#realFolders];
  }

  /**
   * Answers the real path of an existing file or folder if it lies inside an opened folder;
   * otherwise throws ClearframeError 'forbidden' (or 'not-found' when it does not exist).
   */
  async check(path: string): Promise<string> {
    this.#refuseUnsafeSyntax(path);
    // Refuse before touching the disk, so probing paths outside learns nothing about them.
    if (!this.#lexicallyInside(path)) throw this.#forbidden(path);
    const real = await realOrThrow(path, 'The file');
    if (!this.#realInside(real)) throw this.#forbidden(path);
    return real;
  }

  /**
   * Like `check`, for a file about to be written: its nearest existing ancestor must resolve inside
   * an opened folder. Answers the path the file will have (real ancestor + the remaining segments).
   */
  async checkNew(path: string): Promise<string> {
    this.#refuseUnsafeSyntax(path);
    if (!this.#lexicallyInside(path)) throw this.#forbidden(path);
    let existing = resolve(path);
    const missing: string[] = [];
    for (;;) {
      const real = await realpath(existing).catch(() => undefined);
      if (real !== undefined) {
        if (!this.#realInside(real)) throw this.#forbidden(path);
        return join(real, ...missing);
      }
      const parent = dirname(existing);
      if (parent === existing) throw this.#forbidden(path);
      missing.unshift(basename(existing));
      existing = parent;
    }
  }

  #refuseUnsafeSyntax(path: string): void {
    if (path.includes('\0'))
      throw new ClearframeError('forbidden', 'The path contains a NUL character.', path.replace(/\0/g, ''));
    if (!isAbsoluteHere(path)) throw new ClearframeError('forbidden', `${path} is not an absolute path.`, path);
    if (hasParentSegment(path))
      throw new ClearframeError('forbidden', `${path} contains "..", which is not allowed.`, path);
  }

  #forbidden(path: string): ClearframeError {
    return new ClearframeError('forbidden', `${path} is outside the folders you opened; open its folder first.`, path);
  }

  #contains(folder: string, path: string): boolean {
    const fold = (p: string): string => (this.#caseInsensitive ? p.toLowerCase() : p);
    const rel = relative(fold(folder), fold(path));
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  }

  #realInside(real: string): boolean {
    for (const folder of this.#realFolders) if (this.#contains(folder, real)) return true;
    return false;
  }

  #lexicallyInside(path: string): boolean {
    const given = resolve(path);
    for (const folder of [...this.#givenFolders, ...this.#realFolders]) if (this.#contains(folder, given)) return true;
    return false;
  }
}
