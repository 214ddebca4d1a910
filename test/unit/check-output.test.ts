// After an engine crash the job queue asks whether the output the engine announced is there and
// whole: a whole image is, an empty FAT/exFAT claim file is removed, anything else is left alone.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkOutput } from '../../src-main/engine/io/check-output.js';
import { greyPhoto } from '../helpers/samples.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clearframe-check-output-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('checkOutput', () => {
  it('tells a whole output from a missing, empty or cut one, and removes only the empty claim', async () => {
    const whole = join(dir, 'whole.png');
    await (await greyPhoto('01')).png().toFile(whole);
    expect(await checkOutput(whole)).toBe('whole');

    expect(await checkOutput(join(dir, 'never-written.png'))).toBe('missing');

    const claim = join(dir, 'claim.png');
    await writeFile(claim, '');
    expect(await checkOutput(claim)).toBe('removed');
    await expect(stat(claim)).rejects.toMatchObject({ code: 'ENOENT' });

    const cut = join(dir, 'cut.png');
    const bytes = await readFile(whole);
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(await checkOutput(cut)).toBe('unreadable');
    expect((await stat(cut)).size).toBe(Math.floor(bytes.length / 2)); // not ours to delete
  });
});
