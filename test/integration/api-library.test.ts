// The library and settings channels end to end through dispatch, on generated test photos.
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllowedFolders } from '../../src-main/access/allowed-folders.js';
import { dispatch, type RequestContext } from '../../src-main/api/dispatch.js';
import { createHandlers } from '../../src-main/api/index.js';
import { createEngineServices } from '../../src-main/engine-client/engine-services.js';
import type { EngineServices } from '../../src-main/engine-client/engine-services.js';
import { openConfSettings } from '../../src-main/settings/conf-settings.js';
import type { LibraryOpenResponse, ThumbnailResponse } from '../../src-shared/schemas/library.js';
import type { AppInfo } from '../../src-shared/schemas/app.js';
import type { Result } from '../../src-shared/contract-core.js';
import { writeGreyPhotos } from '../helpers/samples.js';

const context: RequestContext = { emit: () => undefined };

let root: string;
let photos: string;
let handlers: ReturnType<typeof createHandlers>;
let cacheDir: string;
let engine: EngineServices;

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'clearframe-api-'));
  photos = join(root, 'photos');
  await mkdir(join(photos, 'sub'), { recursive: true });
  await writeGreyPhotos(photos, ['01', '02', '03', '04']);
  // A 16-bit RGBA PNG one level down (only listed when recursive).
  await sharp({ create: { width: 40, height: 30, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.5 } } })
    .toColourspace('rgb16')
    .png()
    .toFile(join(photos, 'sub', 'deep.png'));
  await writeFile(join(photos, 'broken.jpg'), 'this is not a jpeg');
  await writeFile(join(photos, 'notes.txt'), 'ignored: not an image extension');
  await writeFile(
    join(root, 'outside.png'),
    await sharp({ create: { width: 8, height: 8, channels: 3, background: 'red' } })
      .png()
      .toBuffer(),
  );
  await symlink(join(root, 'outside.png'), join(photos, 'escape.png'));
  cacheDir = join(root, 'data', 'Cache', 'thumbnails');
  engine = createEngineServices(join(root, 'data'), { thumbnailDir: cacheDir });
  handlers = createHandlers({
    host: 'browser',
    settings: openConfSettings(join(root, 'data')),
    access: new AllowedFolders(),
    engine,
  });
});

afterAll(async () => {
  await engine.client.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('library:open', () => {
  it('lists the images of a folder with real metadata, and the unreadable ones as skipped', async () => {
    const listing = value<LibraryOpenResponse>(await dispatch(handlers, 'library:open', { folder: photos }, context));
    expect(listing.images.map((i) => i.name)).toEqual(['01.png', '02.png', '03.png', '04.png']);
    const first = listing.images[0]!;
    expect(first).toMatchObject({ format: 'png', width: 256, height: 256, channels: 1, bitDepth: 8, hasAlpha: false });
    expect(first.sizeBytes).toBeGreaterThan(1000);
    expect(listing.skipped.map((s) => s.path)).toEqual([join(listing.folder, 'broken.jpg')]);
    expect(listing.skipped[0]!.reason).toMatch(/not a readable image/);
  });

  it('goes into subfolders when recursive, reading 16-bit depth and alpha', async () => {
    const listing = value<LibraryOpenResponse>(
      await dispatch(handlers, 'library:open', { folder: photos, recursive: true }, context),
    );
    const deep = listing.images.find((i) => i.name === 'deep.png');
    expect(deep).toMatchObject({
      relativePath: join('sub', 'deep.png'),
      format: 'png',
      bitDepth: 16,
      channels: 4,
      hasAlpha: true,
      width: 40,
      height: 30,
    });
  });

  it('remembers the folder in the recent folders', async () => {
    const settings = value<{ recentFolders: string[] }>(await dispatch(handlers, 'settings:get', {}, context));
    expect(settings.recentFolders[0]).toMatch(/photos$/);
  });

  // A photo's path is not refused: it opens the photo's folder with it selected (library-open-target.test.ts).
  it('answers not-found with a human message for a missing folder and a relative path', async () => {
    for (const folder of [join(root, 'nope'), 'photos']) {
      const result = await dispatch(handlers, 'library:open', { folder }, context);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('not-found');
        expect(result.error.message).toContain(folder);
      }
    }
  });
});

describe('library:thumbnail', () => {
  it('answers a small WebP and caches it on disk', async () => {
    const path = join(photos, '02.png');
    const thumb = value<ThumbnailResponse>(await dispatch(handlers, 'library:thumbnail', { path, size: 64 }, context));
    expect(thumb).toMatchObject({ mime: 'image/webp', width: 64, height: 64 });
    const decoded = await sharp(Buffer.from(thumb.data, 'base64')).metadata();
    expect(decoded.format).toBe('webp');
    const shards = await readdir(cacheDir);
    expect(shards.length).toBeGreaterThan(0);
    const again = value<ThumbnailResponse>(await dispatch(handlers, 'library:thumbnail', { path, size: 64 }, context));
    expect(again.data).toBe(thumb.data);
  });

  it('refuses files outside the opened folders and symlinks that escape them', async () => {
    for (const path of [join(root, 'outside.png'), join(photos, 'escape.png'), `${photos}/../outside.png`]) {
      const result = await dispatch(handlers, 'library:thumbnail', { path }, context);
      expect(result.ok ? 'ok' : result.error.code).toBe('forbidden');
    }
  });
});

describe('app:info and dialog:openFolder', () => {
  it('reports versions and backends, with onnxruntime loaded', async () => {
    const info = value<AppInfo>(await dispatch(handlers, 'app:info', {}, context));
    expect(info).toMatchObject({ name: 'Clearframe', host: 'browser', platform: process.platform });
    expect(info.versions).toMatchObject({ node: process.versions.node });
    expect(info.versions.sharp).toMatch(/^\d+\.\d+/);
    expect(info.backends.find((b) => b.id === 'onnxruntime:cpu')?.available).toBe(true);
    expect(info.backends.find((b) => b.id === 'tfjs:wasm')?.available).toBe(true);
  });

  it('has no folder picker in the browser host', async () => {
    const result = await dispatch(handlers, 'dialog:openFolder', {}, context);
    expect(result.ok ? 'ok' : result.error.code).toBe('unsupported');
  });
});

describe('app:showInFolder', () => {
  it('answers unsupported in the browser host, so the page shows the path to copy', async () => {
    const result = await dispatch(handlers, 'app:showInFolder', { path: photos }, context);
    expect(result.ok ? 'ok' : result.error.code).toBe('unsupported');
  });

  it('reveals only paths inside the opened folders, through the host’s shell', async () => {
    const shown: string[] = [];
    const access = new AllowedFolders();
    await access.allow(photos);
    const desktop = createHandlers({
      host: 'electron',
      settings: openConfSettings(join(root, 'data')),
      access,
      showInFolder: (path) => shown.push(path),
    });
    expect(value(await dispatch(desktop, 'app:showInFolder', { path: join(photos, 'sub') }, context))).toEqual({
      shown: true,
    });
    const outside = await dispatch(desktop, 'app:showInFolder', { path: join(root, 'outside.png') }, context);
    expect(outside.ok ? 'ok' : outside.error.code).toBe('forbidden');
    const link = await dispatch(desktop, 'app:showInFolder', { path: join(photos, 'escape.png') }, context);
    expect(link.ok ? 'ok' : link.error.code).toBe('forbidden');
    expect(shown).toEqual([join(photos, 'sub')]);
  });
});
