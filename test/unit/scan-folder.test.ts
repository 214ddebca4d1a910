// A recursive open survives a subfolder it may not read (EACCES) and one that vanishes mid-scan:
// both are listed in `skipped` with the reason, every other photo is listed. readdir is made to
// fail the way the kernel does (tests run as root here, which chmod 000 cannot stop).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { scanFolder } from '../../src-main/engine/library/scan-folder.js';
import { greyPhoto } from '../helpers/samples.js';

const faults = vi.hoisted(() => ({ denied: new Set<string>(), vanishing: new Set<string>() }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    readdir: (async (path: string, options?: unknown) => {
      if (faults.denied.has(String(path)))
        throw Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), { code: 'EACCES' });
      if (faults.vanishing.has(String(path))) await real.rm(path, { recursive: true }); // gone between listing its parent and reading it
      return real.readdir(path, options as never);
    }) as typeof real.readdir,
  };
});

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-scan-'));
  const photo = (await greyPhoto('06')).extract({ left: 0, top: 0, width: 32, height: 24 }).png();
  for (const folder of ['', 'trip', 'locked', 'ejected', 'trip/day2']) {
    await mkdir(join(root, folder), { recursive: true });
    await photo.clone().toFile(join(root, folder, 'a.png'));
  }
  faults.denied.add(join(root, 'locked'));
  faults.vanishing.add(join(root, 'ejected'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('scanFolder with unreadable subfolders', () => {
  it('lists every readable photo and names the folders it could not read, with why', async () => {
    const listing = await scanFolder(root, true);
    expect(listing.images.map((i) => i.relativePath)).toEqual(['a.png', 'trip/a.png', 'trip/day2/a.png']);
    expect(listing.skipped).toEqual([
      { path: join(root, 'ejected'), reason: 'the folder disappeared while it was being read' },
      {
        path: join(root, 'locked'),
        reason: 'the folder could not be read (permission denied); its photos are not listed',
      },
    ]);
  });

  it('still fails with a typed error when the opened folder itself cannot be read', async () => {
    faults.denied.add(root);
    try {
      await expect(scanFolder(root, true)).rejects.toMatchObject({
        code: 'io',
        message: expect.stringContaining('could not be listed'),
      });
    } finally {
      faults.denied.delete(root);
    }
  });
});
