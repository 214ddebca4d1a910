// The thumbnail cache stays within its cap: past it, the least recently used entries (served ones
// are touched) are deleted down to 80 %, and the newest is kept. Real photos through sharp; and a
// photo too large for a preview gets a message that says so, without being decoded.
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheSize, evictLeastRecentlyUsed } from '../../src-main/engine/library/cache-eviction.js';
import { ThumbnailCache } from '../../src-main/engine/library/thumbnails.js';
import { flatJpeg } from '../helpers/flat-jpeg.js';
import { writeGreyPhotos } from '../helpers/samples.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clearframe-thumbcache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function entries(cacheDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const shard of await readdir(cacheDir).catch(() => []))
    for (const name of await readdir(join(cacheDir, shard))) out.push(join(cacheDir, shard, name));
  return out.sort();
}

describe('evictLeastRecentlyUsed', () => {
  it('deletes oldest first down to the mark, never the protected entry', async () => {
    const cacheDir = join(dir, 'c');
    const files: string[] = [];
    for (let i = 0; i < 6; i++) {
      const shard = join(cacheDir, `0${i % 2}`);
      await import('node:fs/promises').then((fs) => fs.mkdir(shard, { recursive: true }));
      const file = join(shard, `entry-${i}.webp`);
      await writeFile(file, Buffer.alloc(1000));
      await utimes(file, 1_000 + i, 1_000 + i); // entry-0 is the least recently used
      files.push(file);
    }
    expect(await cacheSize(cacheDir)).toBe(6000);
    const left = await evictLeastRecentlyUsed(cacheDir, 3500, files[0]);
    expect(left).toBe(3000);
    expect((await entries(cacheDir)).map((f) => f.split('/').pop())).toEqual([
      'entry-0.webp',
      'entry-4.webp',
      'entry-5.webp',
    ]);
  });
});

describe('ThumbnailCache', () => {
  it('stays under its cap, evicting the entries served least recently', async () => {
    const photos = await writeGreyPhotos(join(dir, 'photos'), ['01', '02', '03', '04']);
    const cacheDir = join(dir, 'thumbs');
    const entryOf = new Map<string, string>();
    const cache = new ThumbnailCache(cacheDir, { maxBytes: 1 }); // replaced below, once an entry's size is known
    const add = async (target: ThumbnailCache, photo: string): Promise<void> => {
      const before = new Set(await entries(cacheDir));
      await target.get(photo, 128);
      const made = (await entries(cacheDir)).filter((f) => !before.has(f));
      if (made[0]) entryOf.set(photo, made[0]);
    };
    await add(new ThumbnailCache(cacheDir), photos[0]!);
    const one = (await stat(entryOf.get(photos[0]!)!)).size;
    const capped = new ThumbnailCache(cacheDir, { maxBytes: Math.round(one * 3.5) });
    for (const photo of photos.slice(1, 3)) await add(capped, photo);
    expect(await entries(cacheDir)).toHaveLength(3);
    // All three look old; then photo 0 is served again, which makes it the most recently used.
    for (const photo of photos.slice(0, 3)) await utimes(entryOf.get(photo)!, 1, 1);
    await capped.get(photos[0]!, 128);
    // The fourth entry passes the cap: photos 1 and 2 go (down to 80 %), photo 0 and the new one stay.
    await add(capped, photos[3]!);
    expect(await entries(cacheDir)).toEqual([entryOf.get(photos[0]!), entryOf.get(photos[3]!)].sort());
    expect(await cacheSize(cacheDir)).toBeLessThanOrEqual(Math.round(one * 3.5 * 0.8 * 1.2));
    // An evicted thumbnail is simply made again when asked for.
    expect((await capped.get(photos[1]!, 128)).width).toBe(128);
    expect(cache.directory).toBe(cacheDir);
  });

  it('refuses a 16,000² progressive JPEG with "too large for a preview", quickly', async () => {
    const file = join(dir, 'huge.jpg');
    await writeFile(file, flatJpeg(16_000, 16_000, { progressive: true }));
    const cache = new ThumbnailCache(join(dir, 'thumbs'));
    const started = Date.now();
    await expect(cache.get(file, 256)).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringMatching(/could not be made: too large for a preview/),
    });
    expect(Date.now() - started).toBeLessThan(2000); // refused from the header, not decoded
    // A baseline one of the same size is made, by shrink-on-load.
    await writeFile(file.replace('huge', 'huge-baseline'), flatJpeg(16_000, 16_000, { progressive: false }));
    const thumb = await cache.get(file.replace('huge', 'huge-baseline'), 256);
    expect(thumb).toMatchObject({ width: 256, height: 256 });
    expect(await sharp(Buffer.from(thumb.data)).metadata()).toMatchObject({ format: 'webp' });
  });
});
