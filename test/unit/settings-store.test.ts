import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConfSettings } from '../../src-main/settings/conf-settings.js';
import { defaultDataDir } from '../../src-main/settings/data-dir.js';
import { Settings } from '../../src-shared/schemas/settings.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'clearframe-settings-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('conf settings store', () => {
  it('answers the defaults when there is no file', () => {
    expect(openConfSettings(dataDir).get()).toEqual(Settings.parse({}));
  });

  it('persists a patch to config.json and reads it back in a new store', async () => {
    const store = openConfSettings(dataDir);
    const next = store.set({ jpegQuality: 88, theme: 'dark' });
    expect(next.jpegQuality).toBe(88);
    expect(next.tileSize).toBe(512);
    const file = JSON.parse(await readFile(join(dataDir, 'config.json'), 'utf8'));
    expect(file.theme).toBe('dark');
    expect(openConfSettings(dataDir).get().jpegQuality).toBe(88);
  });

  it('changes only the keys a patch names: later one-key patches keep earlier changes', () => {
    const store = openConfSettings(dataDir);
    store.set({ jpegQuality: 77 });
    const next = store.set({ theme: 'light' });
    expect(next.jpegQuality).toBe(77);
    expect(next.theme).toBe('light');
    expect(openConfSettings(dataDir).get().jpegQuality).toBe(77);
  });

  it('refuses an invalid patch and leaves the file as it was', () => {
    const store = openConfSettings(dataDir);
    store.set({ jpegQuality: 90 });
    expect(() => store.set({ jpegQuality: 5 })).toThrow();
    expect(store.get().jpegQuality).toBe(90);
  });

  it('keeps the valid values of a hand-edited file and resets only the bad ones', async () => {
    await writeFile(join(dataDir, 'config.json'), JSON.stringify({ jpegQuality: 'high', theme: 'light', stray: 1 }));
    const settings = openConfSettings(dataDir).get();
    expect(settings.theme).toBe('light');
    expect(settings.jpegQuality).toBe(95);
    expect(settings).not.toHaveProperty('stray');
  });
});

describe('defaultDataDir', () => {
  it('prefers CLEARFRAME_DATA_DIR, then the platform folder', () => {
    expect(defaultDataDir({ CLEARFRAME_DATA_DIR: '/x/y' }, 'linux', '/home/u')).toBe('/x/y');
    expect(defaultDataDir({}, 'linux', '/home/u')).toBe('/home/u/.config/Clearframe');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/u')).toBe('/cfg/Clearframe');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toMatch(
      /Roaming[\\/]Clearframe$/,
    );
  });
});
