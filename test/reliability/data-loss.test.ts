// The second hostile review's data-loss cases (issue #23): each one lost or replaced a user's file
// before its fix. Every case fingerprints the folder first and checks that nothing the user made
// changed afterwards.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noisyImage } from '../../scripts/make-bad-corpus.js';
import { decodeImage } from '../../src-main/engine/io/decode.js';
import { writeDenoisedImage } from '../../src-main/engine/io/encode.js';
import { makeApi, type TestApi } from './support/api.js';
import { fingerprint, removeTempDirs, tempDir } from './support/env.js';
import { FigureRecorder } from './support/figures.js';

const figures = new FigureRecorder('data-loss');
let root: string;

beforeAll(async () => {
  root = await tempDir('data-loss');
});
afterAll(removeTempDirs);

/** A folder holding a photo, a hidden photo named like the NUL pattern's cut, and a dotfile. */
async function photoFolder(name: string): Promise<{ folder: string; photo: string }> {
  const folder = join(root, name);
  await mkdir(folder, { recursive: true });
  const photo = join(folder, 'orig.jpg');
  await noisyImage(48, 32, 3, 1).jpeg().toFile(photo);
  await noisyImage(40, 40, 3, 2).jpeg().toFile(join(folder, '.orig.jpg'));
  await writeFile(join(folder, '.bashrc'), 'export PATH=$HOME/bin:$PATH\n');
  return { folder, photo };
}

async function expectUnchanged(folder: string, before: Map<string, string>): Promise<void> {
  const after = await fingerprint(folder);
  let unchanged = 0;
  for (const [file, print] of before) if (after.get(file) === print) unchanged++;
  figures.originals(before.size, unchanged);
  expect(after).toEqual(before);
}

describe('a NUL or another control character in a path-shaped field', () => {
  let api: TestApi;
  beforeAll(() => {
    api = makeApi(join(root, 'data'));
  });
  afterAll(() => api.close());

  it('is refused by every channel and setting that names a path, before anything is written', async () => {
    const { folder, photo } = await photoFolder('contract');
    const before = await fingerprint(folder);
    expect((await api.call('library:open', { folder })).ok).toBe(true);
    const requests: Array<[string, unknown]> = [
      ['denoise:start', { files: [photo], outputPattern: 'orig.jpg\u0000' }],
      ['denoise:start', { files: [photo], outputPattern: 'denoised/{name}\n.{ext}' }],
      ['denoise:start', { files: [`${photo}\u0000`] }],
      ['denoise:start', { files: [photo], modelId: 'grey\u0000' }],
      ['settings:set', { outputFolderPattern: 'bashrc\u0000' }],
      ['settings:set', { outputFolderPattern: 'out\u0007put' }],
      ['settings:set', { recentFolders: [`${folder}\u0000`] }],
      ['library:open', { folder: `${folder}\u0000/..` }],
      ['library:thumbnail', { path: `${photo}\u0000` }],
      ['denoise:preview', { path: `${photo}\u0000` }],
      ['models:import', { folder: `${folder}\u0000` }],
      ['app:showInFolder', { path: `${photo}\u0000` }],
      ['train:start', { data: folder, out: join(folder, 'run\u0000') }],
      ['train:start', { data: `${folder}\u0000`, out: join(folder, 'run') }],
    ];
    for (const [channel, request] of requests) {
      const result = await api.call(channel, request);
      const refused = !result.ok && result.error.code === 'invalid-request' && /control character/i.test(result.error.message);
      figures.badInput(refused, refused ? undefined : `${channel} ${JSON.stringify(request)} answered ${JSON.stringify(result).slice(0, 200)}`);
      expect(refused, `${channel} ${JSON.stringify(request)}`).toBe(true);
    }
    expect(api.internalErrors).toEqual([]);
    expect(JSON.stringify(await api.call('settings:get', {}))).not.toContain('\\u0000');
    await expectUnchanged(folder, before);
  });

  it('cannot make the write step land anywhere but its own temp file, whatever the caller checked', async () => {
    // The engine's writer is called directly with the name the NUL pattern gives: before the fix,
    // libvips cut the temp path at the NUL and saved the JPEG over the hidden ".orig.jpg".
    const { folder, photo } = await photoFolder('write-step');
    const before = await fingerprint(folder);
    const { pixels, info } = await decodeImage(photo);
    const errors: unknown[] = [];
    for (const target of [join(folder, 'orig.jpg\u0000'), join(folder, 'bashrc\u0000')]) {
      errors.push(await writeDenoisedImage(pixels, info, target, { format: 'jpeg' }).catch((error: unknown) => error));
    }
    await expectUnchanged(folder, before);
    for (const error of errors) {
      expect(error).toMatchObject({ code: 'invalid-request', message: expect.stringMatching(/control character/) });
      figures.badInput(true);
    }
    expect((await readdir(folder)).sort()).toEqual(['.bashrc', '.orig.jpg', 'orig.jpg']);
  });
});
