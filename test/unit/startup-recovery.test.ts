// A damaged config.json (empty, cut short) does not stop the app: it is kept as config.json.bak,
// the settings start from defaults, and app:info tells which file was reset and why. A damaged
// thumbnail cache entry is made again instead of failing the thumbnail.
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AllowedFolders } from '../../src-main/access/allowed-folders.js';
import { appHandlers } from '../../src-main/api/app.js';
import type { ApiServices } from '../../src-main/api/services.js';
import { ThumbnailCache } from '../../src-main/engine/library/thumbnails.js';
import { openConfSettings } from '../../src-main/settings/conf-settings.js';
import { greyPhoto } from '../helpers/samples.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cf-recover-'));
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('a damaged config.json', () => {
  it.each([
    ['empty', '', 'it was empty'],
    ['cut short', '{"outputFolderPattern": "clean", "jpegQual', 'it was not valid JSON'],
  ])('%s: kept as .bak, defaults used, reported in app:info', async (_, content, reason) => {
    await writeFile(join(dir, 'config.json'), content);
    const settings = openConfSettings(dir);
    expect(settings.get().outputFolderPattern).toBe('denoised');
    expect(await readFile(join(dir, 'config.json.bak'), 'utf8')).toBe(content);
    settings.set({ jpegQuality: 90 }); // the store works and writes a sound file again
    expect(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'))).toMatchObject({ jpegQuality: 90 });
    const services = { host: 'browser', settings, access: new AllowedFolders() } as unknown as ApiServices;
    const info = await appHandlers(services)['app:info']({}, { emit: () => {} });
    expect(info.warnings).toEqual([
      expect.stringMatching(
        new RegExp(`config\\.json was reset to the defaults because ${reason}.*config\\.json\\.bak`),
      ),
    ]);
  });

  it('a sound file is left alone and nothing is reported', async () => {
    await writeFile(join(dir, 'config.json'), '{"outputFolderPattern":"clean"}');
    const settings = openConfSettings(dir);
    expect(settings.get().outputFolderPattern).toBe('clean');
    expect(settings.notices).toEqual([]);
    expect(await readdir(dir)).toEqual(['config.json']);
  });
});

describe('a damaged thumbnail cache entry', () => {
  it('is made again', async () => {
    const photo = join(dir, 'a.png');
    await (await greyPhoto('06')).png().toFile(photo);
    const cache = new ThumbnailCache(join(dir, 'thumbs'));
    const first = await cache.get(photo, 64);
    const [sub] = await readdir(join(dir, 'thumbs'));
    const [entry] = (await readdir(join(dir, 'thumbs', sub!))).filter((n) => n.endsWith('.webp'));
    const entryPath = join(dir, 'thumbs', sub!, entry!);
    await truncate(entryPath, 40);
    const again = await cache.get(photo, 64);
    expect(again).toEqual(first);
    expect((await readFile(entryPath)).length).toBeGreaterThan(40);
  });
});
