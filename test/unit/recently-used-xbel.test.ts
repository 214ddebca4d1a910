// The freedesktop.org recently-used list Clearframe adds opened folders to on Linux
// (src-main/app/recently-used-xbel.ts), on temp files: a list GLib wrote keeps every other byte, our
// entry is added once and then updated, and a file it does not understand is left exactly as it was.
import { chmod, lstat, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addToRecentlyUsed,
  folderEntry,
  launchCommand,
  recentlyUsedPath,
  withRecentEntry,
} from '../../src-main/app/recently-used-xbel.js';

// Written by GLib 2.74's GBookmarkFile (g_bookmark_file_to_file), as GNOME applications leave it: a
// text editor's file, and the folder Nautilus showed, which Clearframe is about to open too.
const NOTES = `  <bookmark href="file:///home/ann/notes.txt" added="2026-12-07T06:12:11.214795Z" modified="2026-12-07T06:12:11.214831Z" visited="2026-12-07T06:12:11.214797Z">
    <info>
      <metadata owner="http://freedesktop.org">
        <mime:mime-type type="text/plain"/>
        <bookmark:applications>
          <bookmark:application name="gnome-text-editor" exec="&apos;gnome-text-editor %u&apos;" modified="2026-12-07T06:12:11.214801Z" count="1"/>
        </bookmark:applications>
      </metadata>
    </info>
  </bookmark>
`;
const NAUTILUS = `          <bookmark:application name="org.gnome.Nautilus" exec="&apos;nautilus %u&apos;" modified="2026-12-07T06:12:11.214833Z" count="1"/>`;
const GLIB_WRITTEN = `<?xml version="1.0" encoding="UTF-8"?>
<xbel version="1.0"
      xmlns:bookmark="http://www.freedesktop.org/standards/desktop-bookmarks"
      xmlns:mime="http://www.freedesktop.org/standards/shared-mime-info"
>
${NOTES}  <bookmark href="file:///home/ann/Photos%20Trip" added="2026-12-07T06:12:11.214832Z" modified="2026-12-07T06:12:11.214834Z" visited="2026-12-07T06:12:11.214832Z">
    <info>
      <metadata owner="http://freedesktop.org">
        <mime:mime-type type="inode/directory"/>
        <bookmark:applications>
${NAUTILUS}
        </bookmark:applications>
      </metadata>
    </info>
  </bookmark>
</xbel>`;

const app = { name: 'Clearframe', exec: launchCommand('/opt/Clearframe/clearframe') };
const first = new Date('2026-12-07T07:00:00.000Z');
const later = new Date('2026-12-07T08:30:00.000Z');

/** Our application's line for `uri`: its exec, count and stamp. */
function ours(xbel: string, uri: string): { exec: string; count: number; modified: string } | undefined {
  const start = xbel.indexOf(`<bookmark href="${uri}"`);
  const block = xbel.slice(start, xbel.indexOf('</bookmark>', start));
  const line = /<bookmark:application name="Clearframe" exec="([^"]*)" modified="([^"]*)" count="(\d+)"\/>/.exec(block);
  return start < 0 || !line ? undefined : { exec: line[1]!, modified: line[2]!, count: Number(line[3]) };
}

describe('withRecentEntry', () => {
  it('starts a list GLib reads when there is none, with the folder as a directory opened by Clearframe', () => {
    const xbel = withRecentEntry(undefined, folderEntry('/home/ann/Photos Trip', app), first)!;
    expect(xbel).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<xbel version="1\.0"/);
    expect(xbel).toContain(
      '<bookmark href="file:///home/ann/Photos%20Trip" added="2026-12-07T07:00:00.000Z" modified="2026-12-07T07:00:00.000Z" visited="2026-12-07T07:00:00.000Z">',
    );
    expect(xbel).toContain('<mime:mime-type type="inode/directory"/>');
    expect(ours(xbel, 'file:///home/ann/Photos%20Trip')).toEqual({
      exec: '&apos;&apos;\\&apos;&apos;/opt/Clearframe/clearframe&apos;\\&apos;&apos; %u&apos;',
      count: 1,
      modified: first.toISOString(),
    });
    expect(xbel.trimEnd().endsWith('</xbel>')).toBe(true);
  });

  it("adds a new folder to GLib's list and keeps every byte of the other entries", () => {
    const xbel = withRecentEntry(GLIB_WRITTEN, folderEntry('/home/ann/Raw/2026', app), first)!;
    const end = GLIB_WRITTEN.lastIndexOf('</xbel>');
    expect(xbel.startsWith(GLIB_WRITTEN.slice(0, end))).toBe(true);
    expect(xbel.endsWith('</xbel>')).toBe(true);
    expect(xbel.match(/<bookmark href=/g)).toHaveLength(3);
    expect(ours(xbel, 'file:///home/ann/Raw/2026')).toMatchObject({ count: 1 });
  });

  it("joins a folder another application already listed: Nautilus's line kept, visited now, added unchanged", () => {
    const folder = folderEntry('/home/ann/Photos Trip', app);
    const once = withRecentEntry(GLIB_WRITTEN, folder, first)!;
    const twice = withRecentEntry(once, folder, later)!;
    for (const xbel of [once, twice]) {
      expect(xbel.match(/<bookmark href=/g)).toHaveLength(2);
      expect(
        xbel.startsWith(GLIB_WRITTEN.slice(0, GLIB_WRITTEN.indexOf('  <bookmark href="file:///home/ann/Photos'))),
      ).toBe(true);
      expect(xbel).toContain(NOTES);
      expect(xbel).toContain(NAUTILUS);
      expect(xbel).toContain('added="2026-12-07T06:12:11.214832Z"');
    }
    expect(ours(once, folder.uri)).toMatchObject({ count: 1, modified: first.toISOString() });
    expect(ours(twice, folder.uri)).toMatchObject({ count: 2, modified: later.toISOString() });
    expect(twice).toContain(`modified="${later.toISOString()}" visited="${later.toISOString()}"`);
    expect(twice.match(/name="Clearframe"/g)).toHaveLength(1);
  });

  it('escapes what XML must: a folder named with & and quotes stays one attribute', () => {
    const xbel = withRecentEntry(undefined, folderEntry(`/home/ann/Tom & "Jerry's"`, app), first)!;
    expect(xbel).toContain('href="file:///home/ann/Tom%20&amp;%20%22Jerry&apos;s%22"');
    expect(
      withRecentEntry(xbel, folderEntry(`/home/ann/Tom & "Jerry's"`, app), later)!.match(/<bookmark href=/g),
    ).toHaveLength(1);
  });

  it.each([
    ['not XML at all', 'garbage'],
    ['a list cut short (no closing </xbel>)', GLIB_WRITTEN.slice(0, GLIB_WRITTEN.length - 40)],
    ['another XBEL version', GLIB_WRITTEN.replace('version="1.0"\n', 'version="2.0"\n')],
    ['the metadata namespaces undeclared', GLIB_WRITTEN.replace(/\n\s+xmlns:mime="[^"]*"/, '')],
    ['text after the root', `${GLIB_WRITTEN}\n<xbel>`],
    [
      'our folder listed without an applications element',
      GLIB_WRITTEN.replace(
        /\s*<bookmark:applications>\n.*\n\s*<\/bookmark:applications>(?=\n\s*<\/metadata>\n\s*<\/info>\n\s*<\/bookmark>\n<\/xbel>)/,
        '',
      ),
    ],
  ])('leaves alone %s', (_what, xbel) => {
    expect(withRecentEntry(xbel, folderEntry('/home/ann/Photos Trip', app), first)).toBeUndefined();
  });
});

describe('addToRecentlyUsed', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clearframe-xbel-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the list (and its folder), private to the user, and leaves no temp file', async () => {
    const file = join(dir, 'share', 'recently-used.xbel');
    expect(await addToRecentlyUsed(file, folderEntry('/photos', app), first)).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(withRecentEntry(undefined, folderEntry('/photos', app), first));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'share'))).toEqual(['recently-used.xbel']);
  });

  it('updates the real file behind a link, keeps its permissions and the link', async () => {
    const real = join(dir, 'dotfiles-recently-used.xbel');
    const link = join(dir, 'recently-used.xbel');
    await writeFile(real, GLIB_WRITTEN);
    await chmod(real, 0o644);
    await symlink(real, link);
    expect(await addToRecentlyUsed(link, folderEntry('/photos', app), first)).toBe(true);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, 'utf8')).toBe(withRecentEntry(GLIB_WRITTEN, folderEntry('/photos', app), first));
    expect((await stat(real)).mode & 0o777).toBe(0o644);
    expect((await readdir(dir)).sort()).toEqual(['dotfiles-recently-used.xbel', 'recently-used.xbel']);
  });

  it('leaves a file it cannot edit safely byte for byte as it was', async () => {
    const file = join(dir, 'recently-used.xbel');
    const truncated = GLIB_WRITTEN.slice(0, 300);
    await writeFile(file, truncated);
    expect(await addToRecentlyUsed(file, folderEntry('/photos', app), first)).toBe(false);
    expect(await readFile(file, 'utf8')).toBe(truncated);
    expect(await readdir(dir)).toEqual(['recently-used.xbel']);
  });
});

describe('where the list is and how Clearframe is launched from it', () => {
  it("follows $XDG_DATA_HOME when absolute, else ~/.local/share (GLib's g_get_user_data_dir)", () => {
    expect(recentlyUsedPath({ XDG_DATA_HOME: '/data/ann' }, '/home/ann')).toBe('/data/ann/recently-used.xbel');
    expect(recentlyUsedPath({ XDG_DATA_HOME: 'relative' }, '/home/ann')).toBe(
      '/home/ann/.local/share/recently-used.xbel',
    );
    expect(recentlyUsedPath({}, '/home/ann')).toBe('/home/ann/.local/share/recently-used.xbel');
  });

  it('quotes the executable (and, unpackaged, the app folder) for a shell, with %u for the folder', () => {
    expect(launchCommand('/tmp/.mount_Clear x/clearframe')).toBe("'/tmp/.mount_Clear x/clearframe' %u");
    expect(launchCommand('/usr/bin/electron', "/home/ann/it's clearframe")).toBe(
      "'/usr/bin/electron' '/home/ann/it'\\''s clearframe' %u",
    );
  });
});
