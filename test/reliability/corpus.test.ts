// The bad-input corpus is what it claims to be (sharp alone): every later test trusts these files.
import { lstat, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBadCorpus, type CorpusManifest } from '../../scripts/make-bad-corpus.js';
import { removeTempDirs, tempDir } from './support/env.js';

let corpus: CorpusManifest;

beforeAll(async () => {
  corpus = await makeBadCorpus(join(await tempDir('corpus'), 'bad'));
});
afterAll(removeTempDirs);

describe('bad-input corpus generator', () => {
  it('is small and covers every kind of case of issue #9', async () => {
    const kinds = new Set(corpus.cases.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['bomb', 'bytes', 'format', 'orientation', 'path', 'size']);
    expect(corpus.cases.length).toBeGreaterThanOrEqual(35);
    let bytes = 0;
    for (const c of corpus.cases) bytes += (await lstat(join(corpus.folder, c.file))).size;
    expect(bytes).toBeLessThan(1_500_000);
  });

  it('makes every `decode` case readable by sharp at the declared upright size', async () => {
    for (const c of corpus.cases.filter((k) => k.expect === 'decode')) {
      const path = join(corpus.folder, c.file);
      const { info } = await sharp(path, { limitInputPixels: false })
        .rotate()
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect({ file: c.file, width: info.width, height: info.height }).toEqual({
        file: c.file,
        width: c.width,
        height: c.height,
      });
    }
  });

  it('makes every `refuse` byte case unreadable by sharp', async () => {
    for (const c of corpus.cases.filter((k) => k.expect === 'refuse' && k.kind === 'bytes')) {
      await expect(sharp(join(corpus.folder, c.file)).raw().toBuffer(), c.file).rejects.toThrow();
    }
  });

  it('makes a bomb that declares 10^10 pixels in under 2 KB', async () => {
    const path = join(corpus.folder, 'bomb-100000x100000.png');
    expect((await stat(path)).size).toBeLessThan(2048);
    const meta = await sharp(path, { limitInputPixels: false }).metadata();
    expect(meta.width! * meta.height!).toBe(1e10);
    await expect(sharp(path).metadata()).rejects.toThrow(/pixel limit/);
  });

  it('makes the pixel formats it names', async () => {
    const meta = async (file: string): Promise<Metadata> => sharp(join(corpus.folder, file)).metadata();
    expect((await meta('cmyk.jpg')).space).toBe('cmyk');
    expect((await meta('rgb16.tiff')).depth).toBe('ushort');
    expect((await meta('float32.tiff')).depth).toBe('float');
    expect((await meta('float32-255.tiff')).depth).toBe('float');
    expect((await meta('uint32.tiff')).depth).toBe('uint');
    expect((await meta('three-pages.tiff')).pages).toBe(3);
    expect((await meta('rgb16.png')).depth).toBe('ushort');
    expect((await meta('palette.png')).isPalette).toBe(true);
    expect(await meta('grey-alpha.png')).toMatchObject({ channels: 2, hasAlpha: true });
    expect(await meta('grey.png')).toMatchObject({ channels: 1, space: 'b-w' });
    expect((await meta('animated.webp')).pages).toBe(3);
    expect((await meta('animated.gif')).pages).toBe(3);
    expect((await meta('png-content.jpg')).format).toBe('png');
  });

  it('stores EXIF orientations 1–8 so that the upright image has its red quadrant top-left', async () => {
    for (let o = 1; o <= 8; o++) {
      const path = join(corpus.folder, `exif-orientation-${o}.jpg`);
      expect((await sharp(path).metadata()).orientation).toBe(o);
      const { data, info } = await sharp(path).rotate().raw().toBuffer({ resolveWithObject: true });
      const red = (x: number, y: number): boolean => data[(y * info.width + x) * info.channels]! > 150;
      expect([o, red(3, 3), red(info.width - 4, 3), red(3, info.height - 4)]).toEqual([o, true, false, false]);
    }
  });

  it('makes the hostile paths and links', async () => {
    expect(await readlink(join(corpus.folder, 'loop', 'self'))).toBe('.');
    expect(await readlink(join(corpus.folder, 'loop', 'parent'))).toBe('..');
    const long = corpus.cases.find((c) => c.description.startsWith('a path of'))!;
    expect(join(corpus.folder, long.file).length).toBeGreaterThan(1000);
    expect(corpus.cases.some((c) => /\p{Extended_Pictographic}/u.test(c.file))).toBe(true);
    const unreadable = await stat(join(corpus.folder, 'unreadable.png'));
    expect(unreadable.mode & 0o777).toBe(0);
  });
});
