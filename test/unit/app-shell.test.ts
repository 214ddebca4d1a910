// The Electron shell's decisions, tested without Electron: window placement, trusted senders and
// links, command-line folders and the image protocol.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllowedFolders } from '../../src-main/access/allowed-folders.js';
import { folderFromArgv, openTargetFromArgv } from '../../src-main/app/argv.js';
import { decideImageRequest } from '../../src-main/app/image-protocol.js';
import { APP_ENTRY_URL, isAllowedExternalUrl, isAppUrl } from '../../src-main/app/trust.js';
import { DEFAULT_SIZE, parseSavedWindowState, restoreBounds } from '../../src-main/app/window-state.js';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const rightMonitor = { x: 1440, y: 0, width: 2560, height: 1400 };

describe('restoreBounds', () => {
  it('centres the default size on the primary display the first time', () => {
    expect(restoreBounds(undefined, [laptop])).toEqual({ x: 80, y: 28, ...DEFAULT_SIZE });
  });

  it('keeps a saved window that is on a connected display', () => {
    const saved = { x: 1600, y: 100, width: 1000, height: 700 };
    expect(restoreBounds(saved, [laptop, rightMonitor])).toEqual(saved);
  });

  it('brings back a window saved on a monitor that is gone', () => {
    const saved = { x: 1600, y: 100, width: 1000, height: 700 };
    const bounds = restoreBounds(saved, [laptop]);
    expect(bounds.x + bounds.width).toBeLessThanOrEqual(laptop.width);
    expect(bounds).toMatchObject({ width: 1000, height: 700 });
  });

  it('shrinks and clamps a window larger than its display', () => {
    const bounds = restoreBounds({ x: -50, y: 10, width: 3000, height: 2000 }, [laptop]);
    expect(bounds).toEqual({ x: 0, y: 0, width: 1440, height: 875 });
  });

  it('ignores corrupt saved state', () => {
    expect(parseSavedWindowState({ bounds: { x: 'a', y: 0, width: 1, height: 1 } })).toBeUndefined();
    expect(parseSavedWindowState(null)).toBeUndefined();
    expect(parseSavedWindowState({ bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: true })).toEqual({
      bounds: { x: 1, y: 2, width: 800, height: 600 },
      maximized: true,
    });
  });
});

describe('trust', () => {
  it('trusts only our own app pages as IPC senders', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('clearframe://app/index.html#/compare')).toBe(true);
    expect(isAppUrl('clearframe://evil/index.html')).toBe(false);
    expect(isAppUrl('file:///tmp/index.html')).toBe(false);
    expect(isAppUrl('https://app/index.html')).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('opens only allowlisted https links externally', () => {
    expect(isAllowedExternalUrl('https://github.com/clearframe/clearframe')).toBe(true);
    expect(isAllowedExternalUrl('http://github.com/')).toBe(false);
    expect(isAllowedExternalUrl('https://github.com.evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('https://user:pw@github.com/')).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false);
  });
});

describe('folderFromArgv and the image protocol', () => {
  let root: string;
  let photos: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'clearframe-shell-'));
    photos = join(root, 'photos');
    await mkdir(photos);
    await writeFile(join(photos, 'a.png'), 'png bytes');
    await writeFile(join(photos, 'notes.txt'), 'text');
    await writeFile(join(root, 'secret.png'), 'secret');
    await symlink(join(root, 'secret.png'), join(photos, 'out.png'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('finds the folder among Electron’s arguments, relative to the launch directory', () => {
    expect(folderFromArgv(['/opt/Clearframe/clearframe', 'photos'], root, '/opt/Clearframe/resources/app.asar')).toBe(
      photos,
    );
    expect(folderFromArgv(['electron', '.', '--enable-logging', photos], '/repo', '/repo')).toBe(photos);
    expect(folderFromArgv(['electron', '.'], root, root)).toBeUndefined();
    expect(folderFromArgv(['clearframe', join(photos, 'notes.txt'), 'no-such-dir'], root, '/app')).toBeUndefined();
    // "Open with Clearframe" on a photo opens its folder.
    expect(folderFromArgv(['clearframe', join(photos, 'a.png')], root, '/app')).toBe(photos);
  });

  it('accepts file:// URIs as GNOME passes them (%U), and names the photo to select', async () => {
    await mkdir(join(photos, 'été 2026'));
    await writeFile(join(photos, 'été 2026', 'plage #1.png'), '');
    const uri = pathToFileURL(join(photos, 'été 2026', 'plage #1.png')).href;
    expect(uri).toContain('%20');
    expect(openTargetFromArgv(['/usr/bin/clearframe', uri], '/', '/app')).toEqual({
      folder: join(photos, 'été 2026'),
      file: join(photos, 'été 2026', 'plage #1.png'),
    });
    expect(openTargetFromArgv(['/usr/bin/clearframe', pathToFileURL(photos).href], '/', '/app')).toEqual({
      folder: photos,
    });
    expect(openTargetFromArgv(['/usr/bin/clearframe', 'file://elsewhere.example/photos'], '/', '/app')).toBeUndefined();
  });

  it('serves opened images with their MIME type and refuses the rest', async () => {
    const access = new AllowedFolders();
    const url = (path: string): string => `clearframe-image://image/?path=${encodeURIComponent(path)}`;
    expect((await decideImageRequest(url(join(photos, 'a.png')), access)).status).toBe(403);
    const real = await access.allow(photos);
    expect(await decideImageRequest(url(join(photos, 'a.png')), access)).toEqual({
      status: 200,
      path: join(real, 'a.png'),
      mime: 'image/png',
    });
    expect((await decideImageRequest(url(join(photos, 'notes.txt')), access)).status).toBe(403);
    expect((await decideImageRequest(url(join(photos, 'out.png')), access)).status).toBe(403);
    expect((await decideImageRequest(url(`${photos}/../secret.png`), access)).status).toBe(403);
    expect((await decideImageRequest(url(join(photos, 'gone.png')), access)).status).toBe(404);
    expect((await decideImageRequest('clearframe-image://image/', access)).status).toBe(400);
  });
});
