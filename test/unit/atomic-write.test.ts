// The no-overwrite write on file systems without hard links (FAT32, exFAT: link() answers EPERM on
// Linux): the file still arrives whole, an existing file is still never replaced, and nothing is
// left behind. link() is made to fail the way vfat makes it fail.
import * as fsp from 'node:fs/promises';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { moveNoClobber, writeFileAtomic } from '../../src-main/engine/io/atomic-write.js';

const fat = vi.hoisted(() => ({ noHardLinks: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    link: async (from: string, to: string): Promise<void> => {
      if (fat.noHardLinks)
        throw Object.assign(new Error(`EPERM: operation not permitted, link '${from}' -> '${to}'`), { code: 'EPERM' });
      return real.link(from, to);
    },
  };
});

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cf-atomic-'));
  fat.noHardLinks = true;
});

afterEach(async () => {
  fat.noHardLinks = false;
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic(noClobber) without hard links', () => {
  it('writes a free name whole, leaving no temp file', async () => {
    await writeFileAtomic(join(dir, 'photo.jpg'), 'denoised', true);
    expect(await readdir(dir)).toEqual(['photo.jpg']);
    expect(await readFile(join(dir, 'photo.jpg'), 'utf8')).toBe('denoised');
  });

  it('refuses a taken name with EEXIST, leaving the existing file as it was and no temp file', async () => {
    await writeFile(join(dir, 'photo.jpg'), 'the original');
    await expect(writeFileAtomic(join(dir, 'photo.jpg'), 'denoised', true)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readdir(dir)).toEqual(['photo.jpg']);
    expect(await readFile(join(dir, 'photo.jpg'), 'utf8')).toBe('the original');
  });

  it('leaves no empty claim behind when the temp file cannot be moved', async () => {
    await expect(moveNoClobber(join(dir, '.missing'), join(dir, 'photo.jpg'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('still uses the hard link where there is one', async () => {
    fat.noHardLinks = false;
    const linkSpy = vi.spyOn(fsp, 'link');
    await writeFileAtomic(join(dir, 'photo.jpg'), 'denoised', true);
    expect(await readdir(dir)).toEqual(['photo.jpg']);
    expect(linkSpy).toHaveBeenCalledTimes(1);
  });
});
