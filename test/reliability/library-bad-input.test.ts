// Opening a folder of bad input (issue #9): library:open lists every readable image at its upright
// size and reports every unreadable one in `skipped` with a specific reason, never dropping one
// silently; a recursive scan survives symlink loops; thumbnails fail alone with a typed error.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBadCorpus, type CorpusCase, type CorpusManifest } from '../../scripts/make-bad-corpus.js';
import type { LibraryOpenResponse, ThumbnailResponse } from '../../src-shared/schemas/library.js';
import { assertWellFormedResult, makeApi, valueOf, type TestApi } from './support/api.js';
import { fingerprint, ignoresPermissions, removeTempDirs, tempDir } from './support/env.js';
import { FigureRecorder } from './support/figures.js';

const figures = new FigureRecorder('library-bad-input');
let corpus: CorpusManifest;
let api: TestApi;
let before: Map<string, string>;

beforeAll(async () => {
  const root = await tempDir('library');
  corpus = await makeBadCorpus(join(root, 'bad'));
  before = await fingerprint(corpus.folder);
  api = makeApi(join(root, 'data'));
});
afterAll(async () => {
  await api?.close();
  await removeTempDirs();
});

function applicable(c: CorpusCase): boolean {
  return !(c.requires === 'non-root' && ignoresPermissions);
}

describe('library:open over the bad-input corpus', () => {
  let flat: LibraryOpenResponse;
  let deep: LibraryOpenResponse;

  beforeAll(async () => {
    flat = valueOf<LibraryOpenResponse>(await api.call('library:open', { folder: corpus.folder, recursive: false }));
    deep = valueOf<LibraryOpenResponse>(await api.call('library:open', { folder: corpus.folder, recursive: true }));
  });

  it('accounts for every image-named file: listed at its upright size, or skipped with a specific reason', () => {
    const problems: string[] = [];
    for (const c of corpus.cases.filter(applicable)) {
      const path = join(corpus.folder, c.file);
      const listed = deep.images.find((i) => i.path === path);
      const skipped = deep.skipped.find((s) => s.path === path);
      let ok: boolean;
      if (c.expect === 'decode') {
        ok = listed !== undefined && listed.width === c.width && listed.height === c.height;
        if (!ok)
          problems.push(
            `${c.file} (${c.description}): expected listed at ${c.width}×${c.height}, got ${listed ? `${listed.width}×${listed.height}` : skipped ? `skipped: ${skipped.reason}` : 'nothing (silently dropped)'}`,
          );
      } else if (c.headerIntact === true && listed !== undefined) {
        ok = true; // a header-only scan cannot know; the thumbnail and denoise tests demand the refusal
      } else {
        ok = skipped !== undefined && new RegExp(c.message ?? '.', 'i').test(skipped.reason);
        if (!ok)
          problems.push(
            `${c.file} (${c.description}): expected skipped with /${c.message}/, got ${skipped ? `reason "${skipped.reason}"` : listed ? 'listed' : 'nothing (silently dropped)'}`,
          );
      }
      figures.badInput(ok, ok ? undefined : `library:open ${problems.at(-1)}`);
    }
    if (ignoresPermissions)
      figures.note('unreadable.png skipped: running as root, which reads files whatever their mode');
    expect(problems).toEqual([]);
  });

  it('lists only the top folder when not recursive, and survives symlink loops when recursive', () => {
    expect(flat.images.every((i) => !i.relativePath.includes('/'))).toBe(true);
    expect(deep.images.some((i) => i.relativePath === 'loop/inside-loop.png')).toBe(true);
    // A loop followed even once would list the same file under a second path.
    const inLoop = [...deep.images, ...deep.skipped].filter((i) => i.path.includes(`${join(corpus.folder, 'loop')}/`));
    expect(inLoop.map((i) => i.path.slice(corpus.folder.length + 1))).toEqual(['loop/inside-loop.png']);
  });

  it('reports the unreadable file when permissions can stop reads (skipped as root, with the reason)', (context) => {
    if (ignoresPermissions) context.skip('running as root: chmod 000 does not stop root from reading the file');
    const skipped = deep.skipped.find((s) => s.path.endsWith('unreadable.png'));
    expect(skipped?.reason).toMatch(/permission|denied|EACCES|could not/i);
  });

  it('refuses a missing folder with a typed error, and opens a photo path as its folder with the photo selected', async () => {
    const missing = await api.call('library:open', { folder: join(corpus.folder, 'no-such-folder') });
    assertWellFormedResult(missing);
    expect(missing.ok ? 'ok' : missing.error.code).toBe('not-found');
    const photo = await api.call('library:open', { folder: join(corpus.folder, 'grey.png') });
    assertWellFormedResult(photo);
    expect(photo.ok && (photo.value as LibraryOpenResponse).selected?.endsWith('grey.png')).toBe(true);
  });
});

describe('library:thumbnail over the bad-input corpus', () => {
  it('answers a preview for every decodable image and a typed error for the rest, one file at a time', async () => {
    valueOf(await api.call('library:open', { folder: corpus.folder, recursive: true }));
    const problems: string[] = [];
    for (const c of corpus.cases.filter(applicable)) {
      const result = await api.call('library:thumbnail', { path: join(corpus.folder, c.file), size: 64 });
      assertWellFormedResult(result);
      let ok: boolean;
      if (c.expect === 'decode') {
        const thumb = result.ok ? (result.value as ThumbnailResponse) : undefined;
        // Upright aspect: a portrait source stays portrait in its preview.
        ok =
          thumb !== undefined &&
          Math.sign(thumb.width - thumb.height) === Math.sign(c.width! - c.height!) &&
          Math.max(thumb.width, thumb.height) <= 64;
        if (!ok)
          problems.push(
            `${c.file}: ${result.ok ? `preview ${thumb?.width}×${thumb?.height} for ${c.width}×${c.height}` : `${result.error.code}: ${result.error.message}`}`,
          );
      } else {
        ok = !result.ok && result.error.code !== 'internal' && result.error.message.includes(c.file.split('/').pop()!);
        if (!ok)
          problems.push(
            `${c.file}: expected a typed error naming the file, got ${result.ok ? 'a preview' : `${result.error.code}: ${result.error.message}`}`,
          );
      }
      figures.badInput(ok, ok ? undefined : `library:thumbnail ${problems.at(-1)}`);
    }
    expect(api.internalErrors).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('changed no file of the corpus', async () => {
    const after = await fingerprint(corpus.folder);
    let unchanged = 0;
    for (const [file, print] of before) if (after.get(file) === print) unchanged++;
    figures.originals(before.size, unchanged);
    expect(unchanged).toBe(before.size);
  });
});
