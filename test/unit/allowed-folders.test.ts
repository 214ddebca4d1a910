import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllowedFolders } from '../../src-main/access/allowed-folders.js';
import { ClearframeError } from '../../src-shared/contract-core.js';

let root: string;
let opened: string;
let outside: string;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(ClearframeError);
    return (error as ClearframeError).code;
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'clearframe-access-'));
  opened = join(root, 'photos');
  outside = join(root, 'private');
  await mkdir(join(opened, 'nested'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(opened, 'a.png'), 'a');
  await writeFile(join(opened, 'nested', 'b.png'), 'b');
  await writeFile(join(outside, 'secret.txt'), 'secret');
  await symlink(join(outside, 'secret.txt'), join(opened, 'link-out.png'));
  await symlink(outside, join(opened, 'dir-out'));
  await symlink(join(opened, 'a.png'), join(opened, 'link-in.png'));
  // A sibling whose name starts like the opened folder must not count as inside it.
  await mkdir(join(root, 'photos-other'));
  await writeFile(join(root, 'photos-other', 'c.png'), 'c');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('AllowedFolders', () => {
  it('refuses everything before any folder is opened', async () => {
    expect(await codeOf(new AllowedFolders().check(join(opened, 'a.png')))).toBe('forbidden');
  });

  it('allows files and subfolders under an opened folder, answering real paths', async () => {
    const access = new AllowedFolders();
    const real = await access.allow(opened);
    expect(access.folders()).toEqual([real]);
    expect(await access.check(join(opened, 'a.png'))).toBe(join(real, 'a.png'));
    expect(await access.check(join(opened, 'nested', 'b.png'))).toBe(join(real, 'nested', 'b.png'));
    expect(await access.check(join(opened, 'link-in.png'))).toBe(join(real, 'a.png'));
  });

  it('refuses paths outside, siblings with a common prefix, and symlinks that escape', async () => {
    const access = new AllowedFolders();
    await access.allow(opened);
    expect(await codeOf(access.check(join(outside, 'secret.txt')))).toBe('forbidden');
    expect(await codeOf(access.check(join(root, 'photos-other', 'c.png')))).toBe('forbidden');
    expect(await codeOf(access.check(join(opened, 'link-out.png')))).toBe('forbidden');
    expect(await codeOf(access.check(join(opened, 'dir-out', 'secret.txt')))).toBe('forbidden');
  });

  it('refuses "..", relative paths and NUL bytes without resolving them', async () => {
    const access = new AllowedFolders();
    await access.allow(opened);
    expect(await codeOf(access.check(`${opened}${sep}..${sep}private${sep}secret.txt`))).toBe('forbidden');
    expect(await codeOf(access.check(`${opened}/nested/../a.png`))).toBe('forbidden');
    expect(await codeOf(access.check('a.png'))).toBe('forbidden');
    expect(await codeOf(access.check(`${opened}/a.png\0.jpg`))).toBe('forbidden');
  });

  it('answers not-found for a missing file inside an opened folder, and for a missing folder', async () => {
    const access = new AllowedFolders();
    await access.allow(opened);
    expect(await codeOf(access.check(join(opened, 'missing.png')))).toBe('not-found');
    expect(await codeOf(access.allow(join(root, 'nope')))).toBe('not-found');
    expect(await codeOf(access.allow(join(opened, 'a.png')))).toBe('not-found');
  });

  it('checkNew accepts a new file under an opened folder and refuses one under an escaping symlink', async () => {
    const access = new AllowedFolders();
    const real = await access.allow(opened);
    expect(await access.checkNew(join(opened, 'denoised', 'a.png'))).toBe(join(real, 'denoised', 'a.png'));
    expect(await codeOf(access.checkNew(join(opened, 'dir-out', 'new.png')))).toBe('forbidden');
    expect(await codeOf(access.checkNew(join(outside, 'new.png')))).toBe('forbidden');
  });

  it('compares case-insensitively when asked to (Windows, macOS)', async () => {
    const access = new AllowedFolders({ caseInsensitive: true });
    await access.allow(opened);
    // The lexical test passes; realpath then fails on a case-sensitive disk: not-found, not forbidden.
    expect(await codeOf(access.check(join(opened, 'A.PNG')))).toBe('not-found');
    const strict = new AllowedFolders({ caseInsensitive: false });
    await strict.allow(opened);
    expect(await codeOf(strict.check(join(opened.toUpperCase(), 'a.png')))).toBe('forbidden');
  });
});
