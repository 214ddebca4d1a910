// How a training dataset folder is read (engine/train/dataset.ts), on generated photos: unreadable
// and too-small files are skipped and listed, too few images refused, noisy/ and clean/ paired by name.
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../src-main/engine/engine-error.js';
import { loadDataset } from '../../src-main/engine/train/dataset.js';
import { greyPhoto, writeGreyPhotos } from '../helpers/samples.js';

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
});
