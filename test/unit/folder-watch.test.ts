// The library's folder watch, on a real folder: a photo copied in or deleted is heard (once per
// burst), writes inside an output folder and temp files are not, and a folder that vanishes is
// reported once and no longer watched.
import { copyFile, mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { changeMatters, watchFolder, type FolderWatch } from '../../src-main/api/folder-watch.js';
import { outputFolderNames } from '../../src-shared/schemas/output-pattern.js';
import { writeGreyPhotos } from '../helpers/samples.js';

const settle = (ms = 800): Promise<void> => new Promise((r) => setTimeout(r, ms));

let root: string;
let photoDir: string;
let photo: string; // a photo outside the watched folder, copied in
let watch: FolderWatch | undefined;

beforeAll(async () => {
  photoDir = await mkdtemp(join(tmpdir(), 'cf-watch-photo-'));
  photo = (await writeGreyPhotos(photoDir, ['01']))[0]!;
});
afterAll(() => rm(photoDir, { recursive: true, force: true }));
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-watch-'));
});
afterEach(async () => {
  watch?.close();
  await rm(root, { recursive: true, force: true });
});

describe('watchFolder', () => {
  it('hears photos added and removed, once per burst, and not the outputs a batch writes', async () => {
    let calls = 0;
    watch = watchFolder(root, { recursive: true, ignoredFolders: outputFolderNames('denoised/{name}.{ext}') }, () => calls++);
    await mkdir(join(root, 'denoised'));
    await writeFile(join(root, 'denoised', '.a.png.1.0123456789ab.clearframe-tmp'), 'x');
    await copyFile(photo, join(root, 'denoised', 'a.png'));
    await writeFile(join(root, 'notes.txt'), 'not a photo');
    await settle();
    expect(calls).toBe(0);

    for (const name of ['a.png', 'b.png', 'c.png']) await copyFile(photo, join(root, name));
    await settle();
    expect(calls).toBe(1);
    await unlink(join(root, 'b.png'));
    await settle();
    expect(calls).toBe(2);
  });

  it('reports a folder that vanished once and stops watching it', async () => {
    const folder = join(root, 'card');
    await mkdir(folder);
    let calls = 0;
    watch = watchFolder(folder, { recursive: false, ignoredFolders: new Set() }, () => calls++);
    await rm(folder, { recursive: true });
    await settle();
    expect(calls).toBe(1);
    await mkdir(folder);
    await copyFile(photo, join(folder, 'a.png'));
    await settle();
    expect(calls).toBe(1);
  });
});

describe('changeMatters', () => {
  const outputs = outputFolderNames('clean/{name}.{ext}');
  it('counts photos and, when subfolders are listed, folders; not outputs, hidden or other files', () => {
    expect(changeMatters('IMG_1.JPG', outputs, false)).toBe(true);
    expect(changeMatters('trip/IMG_1.jpg', outputs, true)).toBe(true);
    expect(changeMatters('trip', outputs, true)).toBe(true);
    expect(changeMatters('trip', outputs, false)).toBe(false);
    expect(changeMatters('clean/IMG_1.jpg', outputs, true)).toBe(false);
    expect(changeMatters('denoised', outputs, true)).toBe(false);
    expect(changeMatters('.IMG_1.jpg.12.0123456789ab.clearframe-tmp', outputs, false)).toBe(false);
    expect(changeMatters('notes.txt', outputs, false)).toBe(false);
    expect(changeMatters(null, outputs, false)).toBe(true);
  });
});
