// The library's folder watch, on a real folder: a photo copied in or deleted is heard (once per
// burst), writes inside an output folder and temp files are not, and a folder that vanishes is
// reported once and no longer watched. No wall-clock waits: the debounce runs on a fake clock the
// test advances, and the test's own fs.watch on the folder says when the OS has delivered a change
// (the watcher under test gets the same change in the same turn of the event loop), so a slow
// machine can neither split a burst nor make a change arrive after the check.
import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeMatters, watchFolder, type FolderWatch } from '../../src-main/api/folder-watch.js';
import { outputFolderNames } from '../../src-shared/schemas/output-pattern.js';
import { writeGreyPhotos } from '../helpers/samples.js';

/** What the OS reports on `dir`, in order, through a watch of the same kind as the one under test. */
function observe(dir: string, recursive: boolean): { names: string[]; watcher: FSWatcher } {
  const names: string[] = [];
  return { names, watcher: fsWatch(dir, { recursive, persistent: false }, (_event, name) => names.push(String(name))) };
}

/** Until the OS has reported a change to `name` (after the first `from` reports); real time, not the faked clock. */
async function delivered(seen: { names: string[] }, name: string, from = 0): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!seen.names.slice(from).includes(name)) {
    if (Date.now() > deadline) throw new Error(`the OS never reported ${name} (reported: ${seen.names.join(', ')})`);
    await sleep(10);
  }
  await sleep(10);
}

let observer: FSWatcher | undefined;

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
  vi.useRealTimers();
  observer?.close();
  watch?.close();
  await rm(root, { recursive: true, force: true });
});

describe('watchFolder', () => {
  it('hears photos added and removed, once per burst, and not the outputs a batch writes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const seen = observe(root, true);
    observer = seen.watcher;
    let calls = 0;
    watch = watchFolder(
      root,
      { recursive: true, ignoredFolders: outputFolderNames('denoised/{name}.{ext}') },
      () => calls++,
    );
    await mkdir(join(root, 'denoised'));
    await writeFile(join(root, 'denoised', '.a.png.1.0123456789ab.clearframe-tmp'), 'x');
    await copyFile(photo, join(root, 'denoised', 'a.png'));
    await writeFile(join(root, 'notes.txt'), 'not a photo');
    await delivered(seen, 'notes.txt');
    // Heard and let go: not even the debounce was started.
    expect(vi.getTimerCount()).toBe(0);
    vi.runOnlyPendingTimers();
    expect(calls).toBe(0);

    for (const name of ['a.png', 'b.png', 'c.png']) await copyFile(photo, join(root, name));
    await delivered(seen, 'c.png');
    // Three photos, one pending call (the debounce and its 2-s cap): it comes when the debounce ends, not before.
    expect(vi.getTimerCount()).toBe(2);
    expect(calls).toBe(0);
    vi.runOnlyPendingTimers();
    expect(calls).toBe(1);
    const before = seen.names.length;
    await unlink(join(root, 'b.png'));
    await delivered(seen, 'b.png', before);
    vi.runOnlyPendingTimers();
    expect(calls).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refreshes at least every 2 s while changes go on (a long copy), and once more after they stop', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const seen = observe(root, false);
    observer = seen.watcher;
    let calls = 0;
    watch = watchFolder(root, { recursive: false, ignoredFolders: new Set() }, () => calls++);
    // A photo every 250 ms (each one well inside the 300-ms debounce) for 2 s of the fake clock.
    for (let i = 0; i < 8; i++) {
      await copyFile(photo, join(root, `p${i}.png`));
      await delivered(seen, `p${i}.png`);
      expect(calls).toBe(0);
      vi.advanceTimersByTime(250);
    }
    expect(calls).toBe(1);
    await copyFile(photo, join(root, 'last.png'));
    await delivered(seen, 'last.png');
    vi.advanceTimersByTime(300);
    expect(calls).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports a folder that vanished once and stops watching it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const folder = join(root, 'card');
    await mkdir(folder);
    const seen = observe(root, true);
    observer = seen.watcher;
    let calls = 0;
    watch = watchFolder(folder, { recursive: false, ignoredFolders: new Set() }, () => calls++);
    await rm(folder, { recursive: true });
    await delivered(seen, 'card');
    vi.runOnlyPendingTimers();
    expect(calls).toBe(1);
    const before = seen.names.length;
    await mkdir(folder);
    await copyFile(photo, join(folder, 'a.png'));
    await delivered(seen, join('card', 'a.png'), before);
    expect(vi.getTimerCount()).toBe(0);
    vi.runOnlyPendingTimers();
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
