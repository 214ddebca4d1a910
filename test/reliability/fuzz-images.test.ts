// Mutated real photos (issue #9): a bounded number of seeded cases per run (bit flips, truncation,
// byte runs, repeated chunks). Each file either decodes or fails alone with a typed message naming
// it; the process never crashes and no partial or temp file is ever left behind.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThumbnailResponse } from '../../src-shared/schemas/library.js';
import { assertWellFormedResult, makeApi, valueOf, type TestApi } from './support/api.js';
import { colourPhoto } from '../helpers/samples.js';
import { listFiles, looksTemporary, removeTempDirs, tempDir } from './support/env.js';
import { FigureRecorder } from './support/figures.js';
import { mutate, type Mutated } from './support/mutate.js';
import { EngineHarness, makeModels } from './support/engine.js';

const CASES = Number(process.env.CLEARFRAME_FUZZ_IMAGES ?? 60);
/** Through the engine process each case costs a network pass: fewer by default. */
const ENGINE_CASES = Math.min(CASES, Number(process.env.CLEARFRAME_FUZZ_ENGINE_IMAGES ?? 24));
const SEED = Number(process.env.CLEARFRAME_FUZZ_SEED ?? 20261125);
const figures = new FigureRecorder('fuzz-images');

interface FuzzCase extends Mutated {
  name: string;
  path: string;
  source: string;
}

let root: string;
let folder: string;
let api: TestApi;
const cases: FuzzCase[] = [];

async function sources(): Promise<Array<{ name: string; bytes: Buffer }>> {
  const base = (await colourPhoto(0)).extract({ left: 100, top: 100, width: 96, height: 80 });
  const raw = await base.raw().toBuffer({ resolveWithObject: true });
  const image = (): Sharp =>
    sharp(raw.data, { raw: { width: raw.info.width, height: raw.info.height, channels: raw.info.channels } });
  return [
    { name: 'jpg', bytes: await image().jpeg({ quality: 90 }).toBuffer() },
    { name: 'progressive.jpg', bytes: await image().jpeg({ quality: 90, progressive: true }).toBuffer() },
    { name: 'png', bytes: await image().png().toBuffer() },
    { name: 'grey.png', bytes: await image().greyscale().png().toBuffer() },
    { name: 'tiff', bytes: await image().tiff({ compression: 'lzw' }).toBuffer() },
    { name: 'webp', bytes: await image().webp({ quality: 90 }).toBuffer() },
    { name: 'gif', bytes: await image().gif().toBuffer() },
  ];
}

beforeAll(async () => {
  root = await tempDir('fuzz');
  folder = join(root, 'photos');
  await mkdir(folder);
  const originals = await sources();
  for (let i = 0; i < CASES; i++) {
    const source = originals[i % originals.length]!;
    const mutated = mutate(source.bytes, SEED + i);
    const name = `fuzz-${String(i).padStart(3, '0')}-${mutated.mutation}.${source.name}`;
    const path = join(folder, name);
    await writeFile(path, mutated.bytes);
    cases.push({ ...mutated, name, path, source: source.name });
  }
  api = makeApi(join(root, 'data'));
  valueOf(await api.call('library:open', { folder }));
});
afterAll(async () => {
  await engine?.dispose();
  await api?.close();
  await removeTempDirs();
});
let engine: EngineHarness | undefined;

describe(`${CASES} mutated photos (seed ${SEED})`, () => {
  it('library:thumbnail: each decodes or fails alone with a typed error naming the file', async () => {
    const problems: string[] = [];
    let decoded = 0;
    for (const c of cases) {
      const result = await api.call('library:thumbnail', { path: c.path, size: 64 });
      assertWellFormedResult(result);
      let ok: boolean;
      if (result.ok) {
        const thumb = result.value as ThumbnailResponse;
        ok = thumb.width > 0 && thumb.height > 0 && thumb.data.length > 0;
        decoded++;
      } else {
        ok = result.error.code !== 'internal' && result.error.message.includes(c.name);
      }
      if (!ok)
        problems.push(
          `${c.name} (${c.detail}): ${result.ok ? 'empty preview' : `${result.error.code}: ${result.error.message}`}`,
        );
      figures.badInput(ok, ok ? undefined : `thumbnail ${problems.at(-1)}`);
    }
    figures.note(`thumbnails of ${cases.length} mutated files: ${decoded} decoded, ${cases.length - decoded} refused`);
    expect(api.internalErrors).toEqual([]);
    expect(problems).toEqual([]);
    const cacheLeftovers = (await listFiles(join(root, 'data'))).filter(looksTemporary);
    expect(cacheLeftovers).toEqual([]);
  });

  it(`the engine process: ${ENGINE_CASES} of them as one batch, each denoised whole or refused alone, no crash, no partial file`, async () => {
    engine = new EngineHarness(await makeModels(join(root, 'models')));
    const batch = cases.slice(0, ENGINE_CASES);
    const run = await engine.run({ files: batch.map((c) => c.path), strength: 1 }, {}, 280_000);
    const problems: string[] = [];
    for (const [i, c] of batch.entries()) {
      const done = run.fileDone[i];
      let problem: string | undefined;
      if (!done || done.path !== c.path) problem = 'no file-done in order';
      else if (done.outputPath) {
        problem = await sharp(done.outputPath, { failOn: 'warning' })
          .raw()
          .toBuffer()
          .then(
            () => undefined,
            (e: unknown) => `output not whole: ${String(e)}`,
          );
      } else if (done.error?.code === 'internal' || done.error?.code === 'engine-crashed')
        problem = `${done.error.code}: ${done.error.message}`;
      else if (!done.error?.message.includes(c.name))
        problem = `message does not name the file: ${done.error?.message}`;
      if (problem) problems.push(`${c.name} (${c.detail}): ${problem}`);
      figures.badInput(problem === undefined, problem && `engine ${problems.at(-1)}`);
    }
    figures.note(
      `engine over ${batch.length} mutated files: ${run.done.succeeded} denoised, ${run.done.failed} refused`,
    );
    expect(engine.children).toHaveLength(1);
    expect((await listFiles(folder)).filter(looksTemporary)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
