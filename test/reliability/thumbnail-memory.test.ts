// Thumbnails of huge photos (issue #16): a folder of 20 files of 16,000² pixels, every thumbnail
// asked for at once through the real path (EngineClient → engine process), must keep the engine
// process's peak RSS (VmHWM) under 1 GB. Before the gate and shrink-on-load, one 1.5 MB progressive
// 16,000² JPEG cost ~800 MB to decode and four at once 3.4 GB. Now baseline ones decode at 1/8,
// affordable progressive ones are let through within the memory budget, and the ones that alone
// would exceed it are refused from their header with "too large for a preview".
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flatJpeg } from '../helpers/flat-jpeg.js';
import { EngineHarness, makeModels, memoryMiB, type ModelDirs } from './support/engine.js';
import { removeTempDirs, tempDir } from './support/env.js';
import { FigureRecorder } from './support/figures.js';

const figures = new FigureRecorder('thumbnail-memory');
let root: string;
let models: ModelDirs;

beforeAll(async () => {
  root = await tempDir('thumbs');
  models = await makeModels(root);
});
afterAll(removeTempDirs);

describe('a folder of 20 huge JPEGs, all thumbnails at once', () => {
  it('keeps the engine process under 1 GB, makes what it can and refuses the rest by name', async () => {
    // The file (progressive, 16,000², ~0.75–1.5 MB), baseline files of the same size, and
    // progressive ones small enough to decode (8,000²: 192 MB of coefficients each).
    const kinds = [
      ...Array.from({ length: 10 }, () => ({ side: 16_000, progressive: true, made: false })),
      ...Array.from({ length: 8 }, () => ({ side: 16_000, progressive: false, made: true })),
      ...Array.from({ length: 2 }, () => ({ side: 8_000, progressive: true, made: true })),
    ];
    const bytes = new Map<string, Buffer>();
    const files = await Promise.all(
      kinds.map(async (kind, i) => {
        const key = `${kind.side}-${kind.progressive}`;
        if (!bytes.has(key)) bytes.set(key, flatJpeg(kind.side, kind.side, kind));
        const path = join(root, `huge-${String(i).padStart(2, '0')}.jpg`);
        await writeFile(path, bytes.get(key)!);
        return { ...kind, path };
      }),
    );
    expect((await sharp(files[0]!.path).metadata()).isProgressive).toBe(true);

    const engine = new EngineHarness({ ...models, thumbnailDir: join(root, 'Thumbnails') });
    try {
      await engine.client.info(); // started, so the peak below is the engine's own
      const idle = await memoryMiB(engine.current()?.pid);
      const started = Date.now();
      const results = await Promise.allSettled(files.map((f) => engine.client.thumbnail(f.path, 256)));
      const seconds = (Date.now() - started) / 1000;
      const { peak } = await memoryMiB(engine.current()?.pid);
      figures.measure('thumbnails: engine peak RSS, 20 files of 16,000² at once (MiB)', Math.round(peak));
      figures.measure('thumbnails: engine RSS before (MiB)', Math.round(idle.now));
      figures.measure('thumbnails: 20 files of 16,000² at once (s)', Math.round(seconds * 10) / 10);

      const problems: string[] = [];
      results.forEach((result, i) => {
        const file = files[i]!;
        const name = `${file.path.split('/').pop()} (${file.side}², ${file.progressive ? 'progressive' : 'baseline'})`;
        if (file.made) {
          if (result.status !== 'fulfilled') problems.push(`${name}: no thumbnail: ${String(result.reason)}`);
          else if (Math.max(result.value.width, result.value.height) !== 256)
            problems.push(`${name}: ${result.value.width}×${result.value.height}`);
        } else if (result.status === 'fulfilled' || !/too large for a preview/.test(String(result.reason))) {
          problems.push(
            `${name}: expected "too large for a preview", got ${result.status === 'fulfilled' ? 'a thumbnail' : String(result.reason)}`,
          );
        }
      });
      for (const _ of files) figures.badInput(problems.length === 0);
      expect(problems).toEqual([]);
      expect(engine.client.starts).toBe(1); // no crash and restart along the way
      expect(peak).toBeLessThan(1024);
    } finally {
      await engine.dispose();
    }
  });
});
