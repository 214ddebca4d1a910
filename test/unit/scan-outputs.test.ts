// A folder scan told the output settings: Clearframe's own output folders are not listed as photos
// (recursive open), and each photo says whether its denoised copy exists on disk, by the same naming
// rule the batch writes and skips with, so the library's badges survive a restart.
import { mkdir, mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanFolder } from '../../src-main/engine/library/scan-folder.js';
import { fillOutputPattern, outputFolderName } from '../../src-shared/schemas/output-pattern.js';
import { greyPhoto } from '../helpers/samples.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-scan-outputs-'));
  const grey = (await greyPhoto('06')).extract({ left: 0, top: 0, width: 32, height: 24 });
  for (const folder of ['', 'trip', 'denoised', 'clean', 'trip/clean'])
    await mkdir(join(root, folder), { recursive: true });
  await grey.clone().png().toFile(join(root, 'a.png'));
  await grey.clone().jpeg().toFile(join(root, 'b.jpg'));
  await grey
    .clone()
    .png()
    .toFile(join(root, 'trip', 'c.png'));
  // Outputs: the old default folder, and the pattern's folder beside each photo.
  await grey
    .clone()
    .png()
    .toFile(join(root, 'denoised', 'a.png'));
  await grey
    .clone()
    .png()
    .toFile(join(root, 'clean', 'a.png'));
  await grey
    .clone()
    .webp()
    .toFile(join(root, 'clean', 'b.webp'));
  await grey
    .clone()
    .png()
    .toFile(join(root, 'trip', 'clean', 'c.png'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('scanFolder with the output settings', () => {
  it('leaves output folders out of a recursive listing and finds each photo’s copy by the naming rule', async () => {
    const listing = await scanFolder(root, true, { outputPattern: 'clean/{name}.{ext}' });
    expect(listing.images.map((i) => [i.relativePath, i.denoisedCopy])).toEqual([
      ['a.png', join(root, 'clean', 'a.png')],
      ['b.jpg', undefined], // its copy would be clean/b.jpg ("same" format); clean/b.webp is not it
      ['trip/c.png', join(root, 'trip', 'clean', 'c.png')],
    ]);
    const webp = await scanFolder(root, false, { outputPattern: 'clean/{name}.{ext}', outputFormat: 'webp' });
    expect(webp.images.map((i) => [i.name, i.denoisedCopy])).toEqual([
      ['a.png', undefined],
      ['b.jpg', join(root, 'clean', 'b.webp')],
    ]);
  });

  it('reads the disk each time: a copy deleted since is no longer reported', async () => {
    await unlink(join(root, 'trip', 'clean', 'c.png'));
    const listing = await scanFolder(root, true, { outputPattern: 'clean/{name}.{ext}' });
    expect(listing.images.find((i) => i.name === 'c.png')?.denoisedCopy).toBeUndefined();
  });

  it('with a pattern that writes beside the originals, leaves out the photos that are copies of others', async () => {
    const folder = join(root, 'beside');
    await mkdir(folder);
    const grey = (await greyPhoto('07')).extract({ left: 0, top: 0, width: 32, height: 24 });
    for (const name of ['d.png', 'd-clean.png', 'e-clean.png']) await grey.clone().png().toFile(join(folder, name));
    const listing = await scanFolder(folder, false, { outputPattern: '{name}-clean' });
    // e-clean.png has no original beside it: a photo of the user's, listed.
    expect(listing.images.map((i) => [i.name, i.denoisedCopy])).toEqual([
      ['d.png', join(folder, 'd-clean.png')],
      ['e-clean.png', undefined],
    ]);
    await rm(folder, { recursive: true });
  });

  it('without output settings lists every subfolder, as before', async () => {
    const listing = await scanFolder(root, true);
    expect(listing.images.map((i) => i.relativePath)).toEqual([
      'a.png',
      'b.jpg',
      'clean/a.png',
      'clean/b.webp',
      'denoised/a.png',
      'trip/c.png',
    ]);
  });
});

describe('the naming rule', () => {
  it('fills the placeholders and adds the extension when the last part has none', () => {
    expect(fillOutputPattern('denoised/{name}.{ext}', { name: 'IMG_1', ext: 'jpg', model: 'm' })).toBe(
      'denoised/IMG_1.jpg',
    );
    expect(fillOutputPattern('out/{name}-{model}', { name: 'a', ext: 'png', model: 'dcae' })).toBe('out/a-dcae.png');
    expect(fillOutputPattern('v1.2/{name}', { name: 'a', ext: 'png', model: 'm' })).toBe('v1.2/a.png');
  });

  it('names the output folder a scan leaves out, unless it has a placeholder', () => {
    expect(outputFolderName('denoised/{name}.{ext}')).toBe('denoised');
    expect(outputFolderName('./out/x/{name}')).toBe('out');
    expect(outputFolderName('{model}/{name}')).toBeUndefined();
    expect(outputFolderName('{name}-clean')).toBeUndefined();
  });
});
