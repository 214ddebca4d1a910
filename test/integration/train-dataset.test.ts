// How a training dataset folder is read (engine/train/dataset.ts), on generated photos: unreadable
// and too-small files are skipped and listed, too few images refused, noisy/ and clean/ paired by name.
// A subfolder it may not read fails readdir the way the kernel does (tests run as root here, which
// chmod 000 cannot stop).
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handMadeTiff } from '../../scripts/make-bad-corpus.js';
import { EngineError } from '../../src-main/engine/contract/engine-error.js';
import { loadDataset } from '../../src-main/engine/train/dataset.js';
import { greyPhoto, writeGreyPhotos } from '../helpers/samples.js';

const denied = vi.hoisted(() => new Set<string>());

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    readdir: (async (dir: string, options?: unknown) => {
      if (denied.has(String(dir)))
        throw Object.assign(new Error(`EACCES: permission denied, scandir '${dir}'`), { code: 'EACCES' });
      return real.readdir(dir, options as never);
    }) as typeof real.readdir,
  };
});

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'clearframe-dataset-'));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('bad data', () => {
  it('skips and lists unreadable and too-small files, and refuses a folder with too few images', async () => {
    const folder = path.join(tmp, 'bad');
    await mkdir(folder);
    await (await greyPhoto('01')).png().toFile(path.join(folder, 'good1.png'));
    await (await greyPhoto('02')).png().toFile(path.join(folder, 'good2.png'));
    await writeFile(path.join(folder, 'broken.png'), 'not an image');
    const loaded = await loadDataset(folder, { channels: 1, minSide: 64, minImages: 2 });
    expect(loaded.pairs.map((p) => p.name)).toEqual(['good1.png', 'good2.png']);
    expect(loaded.skipped.map((s) => path.basename(s.file))).toEqual(['broken.png']);
    const tooSmall = await loadDataset(folder, { channels: 1, minSide: 4096 }).catch((e: unknown) => e);
    expect(tooSmall).toBeInstanceOf(EngineError);
    expect((tooSmall as EngineError).message).toMatch(/0 usable images.*3 skipped/);
  });

  it('pairs noisy/ and clean/ images by name', async () => {
    const folder = path.join(tmp, 'pairs');
    await mkdir(path.join(folder, 'noisy'), { recursive: true });
    await mkdir(path.join(folder, 'clean'));
    await writeGreyPhotos(path.join(folder, 'clean'), ['03', '04', '05']);
    await writeGreyPhotos(path.join(folder, 'noisy'), ['03', '04']);
    await rename(path.join(folder, 'clean', '05.png'), path.join(folder, 'clean', 'lonely.png'));
    const loaded = await loadDataset(folder, { channels: 1, minSide: 32 });
    expect(loaded.paired).toBe(true);
    expect(loaded.pairs.map((p) => p.name)).toEqual(['03.png', '04.png']);
    expect(loaded.pairs.every((p) => p.noisy !== undefined)).toBe(true);
    expect(loaded.skipped).toHaveLength(1);
  });

  it('counts links to photos kept in another folder (as the camera preset makes them)', async () => {
    const library = path.join(tmp, 'library');
    const folder = path.join(tmp, 'linked');
    await mkdir(folder);
    const photos = await writeGreyPhotos(library, ['06', '07']);
    for (const photo of photos) await symlink(photo, path.join(folder, path.basename(photo)));
    const loaded = await loadDataset(folder, { channels: 1, minSide: 32, minImages: 2 });
    expect(loaded.pairs.map((p) => p.name)).toEqual(['06.png', '07.png']);
    expect(loaded.skipped).toEqual([]);
  });
});

describe('files the engine’s image reader refuses', () => {
  it('skips and lists a 32-bit float TIFF and an unreadable subfolder, and trains on the rest', async () => {
    const folder = path.join(tmp, 'hostile');
    await mkdir(path.join(folder, 'locked'), { recursive: true });
    await writeGreyPhotos(folder, ['01', '02']);
    await writeGreyPhotos(path.join(folder, 'locked'), ['03']);
    await writeFile(path.join(folder, 'float.tif'), handMadeTiff(40, 24, 'float32', 1));
    denied.add(path.join(folder, 'locked'));
    const loaded = await loadDataset(folder, { channels: 3, minSide: 16 });
    expect(loaded.pairs.map((p) => p.name)).toEqual(['01.png', '02.png']);
    expect(
      loaded.pairs.every((p) => p.clean.channels === 3 && p.clean.data.length === p.clean.width * p.clean.height * 3),
    ).toBe(true);
    expect(loaded.skipped).toEqual([
      { file: path.join(folder, 'locked'), reason: expect.stringMatching(/could not be read \(permission denied\)/) },
      {
        file: path.join(folder, 'float.tif'),
        reason: expect.stringMatching(/32-bit floating-point samples are not supported/),
      },
    ]);
  });

  it('reads a 16-bit photo as the denoiser does: the same picture as its 8-bit form', async () => {
    const folder = path.join(tmp, 'depth');
    await mkdir(folder);
    const grey = await greyPhoto('04');
    await grey.clone().png().toFile(path.join(folder, 'a8.png'));
    await grey.clone().toColourspace('grey16').png().toFile(path.join(folder, 'b16.png'));
    const [a, b] = (await loadDataset(folder, { channels: 1, minSide: 16 })).pairs;
    expect(b!.clean.data.length).toBe(a!.clean.data.length);
    let worst = 0;
    for (let i = 0; i < a!.clean.data.length; i++)
      worst = Math.max(worst, Math.abs(a!.clean.data[i]! - b!.clean.data[i]!));
    expect(worst).toBeLessThanOrEqual(1);
  });
});
