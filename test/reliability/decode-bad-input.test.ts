// The engine's decoder over the bad-input corpus (issue #9): every decodable case comes out upright
// at its size with its channels (alpha kept); every other one fails alone with an EngineError
// whose message names the file and says what is wrong; the pixel limit refuses bombs from the header.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBadCorpus, type CorpusCase, type CorpusManifest } from '../../scripts/make-bad-corpus.js';
import { decodeImage } from '../../src-main/engine/io/decode.js';
import { EngineError } from '../../src-main/engine/contract/engine-error.js';
import { ignoresPermissions, removeTempDirs, tempDir } from './support/env.js';
import { FigureRecorder } from './support/figures.js';

const figures = new FigureRecorder('decode-bad-input');
const LOWEST_LIMIT = 1_000_000; // the smallest maxPixels the settings accept
let corpus: CorpusManifest;

beforeAll(async () => {
  corpus = await makeBadCorpus(join(await tempDir('decode'), 'bad'));
});
afterAll(removeTempDirs);

/** What is wrong with how decodeImage handled each case (none when all went as the corpus says). */
async function decodeProblems(cases: readonly CorpusCase[]): Promise<string[]> {
  const problems: string[] = [];
  for (const c of cases) {
    const path = join(corpus.folder, c.file);
    const name = c.file.split('/').pop()!;
    let problem: string | undefined;
    try {
      const { pixels } = await decodeImage(path);
      if (c.expect === 'refuse')
        problem = `decoded ${pixels.width}×${pixels.height}, expected a refusal matching /${c.message}/`;
      else if (pixels.width !== c.width || pixels.height !== c.height)
        problem = `decoded ${pixels.width}×${pixels.height}, expected upright ${c.width}×${c.height}`;
      else if (pixels.data.length !== pixels.width * pixels.height * pixels.channels)
        problem = `sample count ${pixels.data.length} does not match ${pixels.width}×${pixels.height}×${pixels.channels}`;
      else if (c.file === 'grey-alpha.png' && pixels.channels !== 2)
        problem = `grey+alpha decoded to ${pixels.channels} channel(s): alpha lost`;
      else if (c.file === 'grey.png' && pixels.channels !== 1)
        problem = `greyscale decoded to ${pixels.channels} channels`;
    } catch (error) {
      if (!(error instanceof EngineError)) problem = `threw a non-typed error: ${String(error)}`;
      else if (c.expect === 'decode') problem = `refused (${error.code}): ${error.message}`;
      else if (!error.message.includes(name)) problem = `message does not name the file: ${error.message}`;
      else if (!new RegExp(c.message ?? '.', 'i').test(error.message))
        problem = `message not specific (wanted /${c.message}/): ${error.message}`;
    }
    if (problem) problems.push(`${c.file}: ${problem}`);
    figures.badInput(problem === undefined, problem && `decode ${c.file}: ${problem}`);
  }
  return problems;
}

describe('decodeImage over the bad-input corpus', () => {
  it('decodes or refuses each case as the corpus says, alone and with a specific message', async () => {
    expect(await decodeProblems(corpus.cases.filter((c) => c.requires !== 'non-root'))).toEqual([]);
  });

  it('refuses a file it may not read (chmod 000), naming it', async (context) => {
    const cases = corpus.cases.filter((c) => c.requires === 'non-root');
    const reason = `running as root, which reads any file whatever its mode: ${cases.map((c) => c.file).join(', ')} not tried`;
    if (ignoresPermissions) figures.note(`skipped: ${reason}`);
    context.skip(ignoresPermissions, reason);
    expect(cases.length).toBeGreaterThan(0);
    expect(await decodeProblems(cases)).toEqual([]);
  });

  it('refuses an image above a configured pixel limit from its header, naming the limit', async () => {
    const path = join(corpus.folder, 'limit-1200x1000.png');
    const error = await decodeImage(path, LOWEST_LIMIT).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).message).toMatch(/limit-1200x1000\.png.*(pixel|limit)/i);
    const { pixels } = await decodeImage(path);
    expect([pixels.width, pixels.height]).toEqual([1200, 1000]);
  });

  it('takes the first frame of an animated file', async () => {
    for (const file of ['animated.webp', 'animated.gif']) {
      const { pixels } = await decodeImage(join(corpus.folder, file));
      expect([file, pixels.width, pixels.height]).toEqual([file, 32, 24]);
    }
  });
});
