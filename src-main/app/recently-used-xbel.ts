// The freedesktop.org recently-used list on Linux: Electron's app.addRecentDocument does nothing
// there (its docs: macOS and Windows only), while GNOME Files' "Recent", GTK's file chooser and
// other desktops' recent lists read $XDG_DATA_HOME/recently-used.xbel (the Desktop Bookmark spec:
// XBEL 1.0, one <bookmark> per URI, with the applications that used it). The file is shared with
// every GTK application, so it is edited conservatively: only a document shaped as GLib writes it
// is touched (anything else is left as it is), our entry is added or updated in place and every
// other byte kept, and the result replaces the file whole (temp file + rename, same mode).
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface RecentEntry {
  /** What was opened: a file:// URI. */
  uri: string;
  /** Its MIME type ('inode/directory' for a folder). */
  mimeType: string;
  /** The application that opened it, and the command that opens a URI with it (%u stands for the URI). */
  app: { name: string; exec: string };
}

const BOOKMARK_NS = 'http://www.freedesktop.org/standards/desktop-bookmarks';
const MIME_NS = 'http://www.freedesktop.org/standards/shared-mime-info';

/** Where GLib keeps the list: $XDG_DATA_HOME (when absolute, as the base-directory spec asks), else ~/.local/share. */
export function recentlyUsedPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const dataHome = env.XDG_DATA_HOME;
  return join(dataHome && dataHome.startsWith('/') ? dataHome : join(home, '.local', 'share'), 'recently-used.xbel');
}

/** A folder as the list names it. */
export function folderEntry(folder: string, app: RecentEntry['app']): RecentEntry {
  return { uri: pathToFileURL(folder).href, mimeType: 'inode/directory', app };
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One word for a POSIX shell, as g_shell_quote writes it: 'it'\''s'. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/** The command that opens a URI with this app: the AppImage when run from one, else the executable (and, unpackaged, the app folder). */
export function launchCommand(executable: string, appPath?: string): string {
  return [executable, ...(appPath === undefined ? [] : [appPath])].map(shellQuote).join(' ') + ' %u';
}

/** GLib stores exec shell-quoted ('clearframe %u'), escaped like any attribute. */
function applicationElement(app: RecentEntry['app'], stamp: string, count: number): string {
  return `<bookmark:application name="${escapeXml(app.name)}" exec="${escapeXml(shellQuote(app.exec))}" modified="${stamp}" count="${count}"/>`;
}

function bookmarkElement(entry: RecentEntry, stamp: string): string {
  return [
    `  <bookmark href="${escapeXml(entry.uri)}" added="${stamp}" modified="${stamp}" visited="${stamp}">`,
    '    <info>',
    '      <metadata owner="http://freedesktop.org">',
    `        <mime:mime-type type="${escapeXml(entry.mimeType)}"/>`,
    '        <bookmark:applications>',
    `          ${applicationElement(entry.app, stamp, 1)}`,
    '        </bookmark:applications>',
    '      </metadata>',
    '    </info>',
    '  </bookmark>',
    '',
  ].join('\n');
}

function emptyDocument(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<xbel version="1.0"\n      xmlns:bookmark="${BOOKMARK_NS}"\n      xmlns:mime="${MIME_NS}"\n>\n</xbel>\n`;
}

/** Sets an attribute of the opening tag `tag` (it must already have it; GLib writes them all). */
function setAttribute(tag: string, name: string, value: string): string | undefined {
  const pattern = new RegExp(`(\\s${name}=")[^"]*(")`);
  return pattern.test(tag) ? tag.replace(pattern, `$1${value}$2`) : undefined;
}

/** Our application's line in a bookmark's block: a fresh one, or the one there with its count raised. */
function touchBlock(block: string, entry: RecentEntry, stamp: string): string | undefined {
  const openEnd = block.indexOf('>') + 1;
  let open: string | undefined = block.slice(0, openEnd);
  for (const name of ['modified', 'visited']) open = open && setAttribute(open, name, stamp);
  if (open === undefined) return undefined;
  const rest = block.slice(openEnd);
  const ours = new RegExp(`<bookmark:application\\s+name="${escapeRegExp(escapeXml(entry.app.name))}"[^>]*/>`).exec(
    rest,
  );
  if (ours) {
    const count = Number(/\scount="(\d+)"/.exec(ours[0])?.[1] ?? '0');
    return (
      open +
      rest.slice(0, ours.index) +
      applicationElement(entry.app, stamp, count + 1) +
      rest.slice(ours.index + ours[0].length)
    );
  }
  const close = rest.indexOf('</bookmark:applications>');
  if (close < 0) return undefined;
  return `${open}${rest.slice(0, close)}  ${applicationElement(entry.app, stamp, 1)}\n        ${rest.slice(close)}`;
}

/**
 * The recently-used document `xbel` (undefined: there is none yet) with `entry` added, or its
 * bookmark updated (visited and modified now, our application's count raised). Undefined when
 * `xbel` is not a document this can edit without risk: not XBEL 1.0 as GLib writes it (namespaces
 * declared on the root, a closing </xbel>), or an entry for the URI that is shaped otherwise.
 */
export function withRecentEntry(xbel: string | undefined, entry: RecentEntry, now: Date): string | undefined {
  const document = xbel === undefined || xbel.trim() === '' ? emptyDocument() : xbel;
  const stamp = now.toISOString();
  const root = /<xbel\b[^>]*>/.exec(document);
  const end = document.lastIndexOf('</xbel>');
  if (!root || end < root.index || document.slice(end + '</xbel>'.length).trim() !== '') return undefined;
  if (
    !/\sversion="1\.0"/.test(root[0]) ||
    !root[0].includes(`xmlns:bookmark="${BOOKMARK_NS}"`) ||
    !root[0].includes(`xmlns:mime="${MIME_NS}"`)
  )
    return undefined;

  const start = document.indexOf(`<bookmark href="${escapeXml(entry.uri)}"`);
  if (start < 0) return document.slice(0, end) + bookmarkElement(entry, stamp) + document.slice(end);
  // Bookmarks do not nest; '</bookmark>' (with its '>') is not the '</bookmark:…' of the metadata.
  const close = document.indexOf('</bookmark>', start);
  if (close < 0 || close > end) return undefined;
  const blockEnd = close + '</bookmark>'.length;
  const block = touchBlock(document.slice(start, blockEnd), entry, stamp);
  return block === undefined ? undefined : document.slice(0, start) + block + document.slice(blockEnd);
}

/**
 * Adds `entry` to the list in `file` (recentlyUsedPath()). Resolves true when the list was written,
 * false when the file holds something this will not edit (left untouched). Follows a symbolic link
 * to the real file, keeps its permissions, and replaces it whole: a reader sees the old list or the
 * new one, never half of one.
 */
export async function addToRecentlyUsed(file: string, entry: RecentEntry, now: Date = new Date()): Promise<boolean> {
  const target = await realpath(file).catch(() => file);
  const existing = await readFile(target, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  const updated = withRecentEntry(existing, entry, now);
  if (updated === undefined) return false;
  const mode = existing === undefined ? 0o600 : (await stat(target)).mode & 0o777;
  await mkdir(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, updated, { mode });
    await chmod(temp, mode); // writeFile's mode is filtered by the umask; the list keeps the one it had
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  return true;
}

/**
 * What main.ts hands recordingOpenedFolders on Linux: each folder opened joins the list under
 * "Clearframe", with `exec` (launchCommand()) to open it again.
 */
export function recentlyUsedRecorder(
  exec: string,
  file: string = recentlyUsedPath(),
): (folder: string) => Promise<void> {
  return async (folder) => {
    if (!(await addToRecentlyUsed(file, folderEntry(folder, { name: 'Clearframe', exec })))) {
      console.warn(`[recent] ${file} is not a recently-used list Clearframe can edit safely; left as it is.`);
    }
  };
}
