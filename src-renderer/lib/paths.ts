// Paths as the OS gives them (POSIX or Windows), split without node:path, which the renderer lacks.
// One home for the split the library, the queue and the batch form each made by hand.

export interface PathParts {
  /** Everything before the last separator ('' when there is none, or for "/photo.jpg"). */
  parent: string;
  /** The last separator ('/' when there is none). */
  separator: string;
  /** The last part: the file or folder name. */
  name: string;
}

export function splitPath(path: string): PathParts {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return { parent: cut < 0 ? '' : path.slice(0, cut), separator: path[cut] ?? '/', name: path.slice(cut + 1) };
}

/** The folder holding `path`: "/a/b.jpg" → "/a", "/b.jpg" → "/", "C:\b.jpg" → "C:\"; undefined without a separator. */
export function parentFolder(path: string): string | undefined {
  const { parent, separator } = splitPath(path);
  if (parent === '' && !path.startsWith(separator)) return undefined;
  if (parent === '') return separator;
  return /^[A-Za-z]:$/.test(parent) ? parent + separator : parent;
}
