// The contract under hostile callers (issue #9, security): every channel rejects malformed requests
// with a typed error, and random payloads thrown at every channel through the real dispatcher and
// handlers never crash it, always answer a well-formed Result and write nothing outside the temp dir.
import { mkdir, readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../src-shared/contract.js';
import { makeBadCorpus } from '../../scripts/make-bad-corpus.js';
import { assertWellFormedResult, makeApi, valueOf, type TestApi } from './support/api.js';
import { writeGreyPhotos } from '../helpers/samples.js';
import { fingerprint, removeTempDirs, tempDir } from './support/env.js';
import { FigureRecorder } from './support/figures.js';

const figures = new FigureRecorder('contract');
const channelNames = Object.keys(channels);
/** Fields that may legitimately be negative (none yet): the test asks every other number to refuse -1. */
const NEGATIVE_ALLOWED = new Set<string>([]);
const FUZZ_RUNS = Number(process.env.CLEARFRAME_FUZZ_RUNS ?? 250);
const FUZZ_SEED = Number(process.env.CLEARFRAME_FUZZ_SEED ?? 20261125);

interface JsonProp {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  items?: JsonProp;
}
function requestProps(channel: string): Record<string, JsonProp> {
  const schema = z.toJSONSchema(channels[channel as keyof typeof channels].request, {
    io: 'input',
    unrepresentable: 'any',
  }) as { properties?: Record<string, JsonProp> };
  return schema.properties ?? {};
}

let root: string;
let photos: string;
let api: TestApi;
let photoFiles: string[];
let originals: Map<string, string>;
const homeBefore = new Map<string, string[]>();
let originalCwd: string;
let cwd: string;

async function listingOf(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}

beforeAll(async () => {
  root = await tempDir('contract');
  photos = join(root, 'photos');
  const corpus = await makeBadCorpus(join(photos, 'bad'));
  photoFiles = corpus.cases.map((c) => join(corpus.folder, c.file));
  photoFiles.push(...(await writeGreyPhotos(photos, ['01'])));
  originals = await fingerprint(photos);
  api = makeApi(join(root, 'data'));
  valueOf(await api.call('library:open', { folder: photos, recursive: false }));
  for (const dir of [homedir(), join(homedir(), '.config')]) homeBefore.set(dir, await listingOf(dir));
  // Relative paths a handler might wrongly write to land here, where the test can see them.
  originalCwd = process.cwd();
  cwd = join(root, 'cwd');
  await mkdir(cwd);
  process.chdir(cwd);
});

afterAll(async () => {
  process.chdir(originalCwd);
  await api?.close();
  await removeTempDirs();
});

describe('every channel rejects malformed requests with a typed error', () => {
  const hostileFor = (prop: JsonProp): Array<[string, unknown]> => {
    const values: Array<[string, unknown]> = [
      ['an object', { nested: { deep: [1, 2, 3] } }],
      ['an array', ['a', 1]],
    ];
    if (prop.type === 'string')
      values.push(['a 1 MB string', 'x'.repeat(1_000_000)], ['a number', 12], ['a boolean', true]);
    if (prop.type === 'number' || prop.type === 'integer') {
      values.push(
        ['NaN', Number.NaN],
        ['Infinity', Number.POSITIVE_INFINITY],
        ['-Infinity', Number.NEGATIVE_INFINITY],
        ['a numeric string', '64'],
        ['1e308', 1e308],
      );
      values.push(['-1', -1]);
    }
    if (prop.type === 'boolean') values.push(['a string', 'true'], ['a number', 1]);
    if (prop.type === 'array')
      values.push(['a string', 'not an array'], ['a huge array', Array.from({ length: 200_000 }, () => 'x')]);
    return values;
  };

  for (const channel of channelNames) {
    it(`${channel}`, async () => {
      let tried = 0;
      let rejected = 0;
      const expectRejected = async (what: string, request: unknown): Promise<void> => {
        tried++;
        const result = await api.call(channel, request);
        assertWellFormedResult(result);
        expect(result.ok ? 'accepted' : result.error.code, `${channel} with ${what}`).toBe('invalid-request');
        if (!result.ok && result.error.code === 'invalid-request') rejected++;
      };
      for (const [what, payload] of [
        ['a number', 42],
        ['a string', 'hello'],
        ['an array', []],
        ['a boolean', true],
      ] as const) {
        await expectRejected(what, payload);
      }
      const props = requestProps(channel);
      const base: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries(props)) {
        if (prop.type === 'string' && (key === 'folder' || key === 'path')) base[key] = photos;
      }
      await expectRejected('an extra field', { ...base, extra: 1 });
      await expectRejected('a __proto__ field', JSON.parse(`{"__proto__": {"polluted": true}, "constructor": 1}`));
      for (const [key, prop] of Object.entries(props)) {
        for (const [what, value] of hostileFor(prop)) {
          if (
            what === '-1' &&
            (NEGATIVE_ALLOWED.has(`${channel}.${key}`) || (prop.minimum !== undefined && prop.minimum < 0))
          )
            continue;
          await expectRejected(`${key} = ${what}`, { ...base, [key]: value });
        }
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      figures.add('contract: malformed requests tried', tried);
      figures.add('contract: malformed requests refused', rejected);
      expect(rejected).toBe(tried);
    });
  }

  it('answers unknown-channel for names that are not channels, including Object.prototype members', async () => {
    for (const name of [
      'nope',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'app:info ',
      'APP:INFO',
      'x'.repeat(100_000),
    ]) {
      const result = await api.call(name, {});
      assertWellFormedResult(result);
      expect(result.ok ? 'ok' : result.error.code, name.slice(0, 20)).toBe('unknown-channel');
      if (!result.ok) expect(result.error.message.length).toBeLessThan(200);
    }
  });
});

describe('random payloads at every channel (fast-check, seeded)', () => {
  it(`survives ${FUZZ_RUNS} runs: well-formed Results, no internal errors, nothing written outside the temp dir`, async () => {
    const pathCandidates = (): fc.Arbitrary<string> =>
      fc.oneof(
        fc.constantFrom(
          ...photoFiles,
          photos,
          join(photos, 'bad'),
          join(photos, 'bad', 'loop', 'self', 'self', 'parent'),
        ),
        fc.constantFrom(
          '/etc/passwd',
          '/etc',
          `${photos}/../../etc/passwd`,
          `${photos}/%2e%2e/%2e%2e/etc/passwd`,
          `${photos}/%252e%252e/etc/passwd`,
          'relative/path.png',
          '.',
          '~/photo.png',
          `${photos}/bad/\0.png`,
          `${photos}\\..\\..\\etc\\passwd`,
          'C:\\Windows\\win.ini',
          '\\\\server\\share\\x.png',
          'file:///etc/passwd',
          join(root, 'data', 'config.json'),
        ),
        fc.string({ maxLength: 40 }).map((s) => join(photos, s)),
        fc.string({ unit: 'binary', maxLength: 60 }),
      );
    const valueFor = (key: string, prop: JsonProp): fc.Arbitrary<unknown> => {
      const hostile = fc.oneof(
        fc.anything({ maxDepth: 2 }),
        fc.constantFrom(Number.NaN, -1, Number.MAX_SAFE_INTEGER, '', null, 'x'.repeat(5000)),
      );
      let plausible: fc.Arbitrary<unknown>;
      if (key === 'folder' || key === 'path') plausible = pathCandidates();
      else if (prop.enum) plausible = fc.constantFrom(...prop.enum);
      else if (prop.type === 'string') plausible = fc.string({ maxLength: 80 });
      else if (prop.type === 'integer') {
        const min = (prop.minimum ?? -1000) - 5;
        plausible = fc.integer({ min, max: Math.min((prop.maximum ?? 1000) + 5, min + 5000) });
      } else if (prop.type === 'number') plausible = fc.double({ min: -2, max: 2 });
      else if (prop.type === 'boolean') plausible = fc.boolean();
      else if (prop.type === 'array') plausible = fc.array(fc.string({ maxLength: 30 }), { maxLength: 12 });
      else plausible = fc.anything({ maxDepth: 1 });
      return fc.oneof({ weight: 4, arbitrary: plausible }, { weight: 1, arbitrary: hostile });
    };
    const requestFor = (channel: string): fc.Arbitrary<unknown> => {
      const props = requestProps(channel);
      const shaped = fc.record(
        Object.fromEntries(Object.entries(props).map(([key, prop]) => [key, valueFor(key, prop)])),
        { requiredKeys: [] },
      );
      const withExtra = fc
        .tuple(shaped, fc.dictionary(fc.string({ maxLength: 10 }), fc.anything({ maxDepth: 1 }), { maxKeys: 2 }))
        .map(([a, b]) => ({ ...b, ...a }));
      return fc.oneof(
        { weight: 6, arbitrary: shaped },
        { weight: 1, arbitrary: withExtra },
        { weight: 1, arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true }) },
      );
    };
    const call = fc.oneof(
      {
        weight: 12,
        arbitrary: fc
          .constantFrom(...channelNames)
          .chain((channel) => requestFor(channel).map((request) => ({ channel, request }))),
      },
      {
        weight: 1,
        arbitrary: fc.record({ channel: fc.string({ maxLength: 20 }), request: fc.anything({ maxDepth: 2 }) }),
      },
    );

    let calls = 0;
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(call, async ({ channel, request }) => {
        calls++;
        const result = await api.call(channel, request);
        assertWellFormedResult(result);
        const code = result.ok ? 'ok' : result.error.code;
        codes.set(code, (codes.get(code) ?? 0) + 1);
        expect(
          code,
          `${channel} ${JSON.stringify(request)?.slice(0, 200)} → ${result.ok ? '' : result.error.message}`,
        ).not.toBe('internal');
        if (result.ok && channel in channels) {
          const parsed = channels[channel as keyof typeof channels].response.safeParse(result.value);
          expect(parsed.success, `${channel} answered a value outside its response schema`).toBe(true);
        }
        expect(api.internalErrors).toEqual([]);
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true },
    );
    figures.measure('contract: fuzz calls', calls);
    figures.note(`fuzz seed ${FUZZ_SEED}; answers by code: ${[...codes].map(([c, n]) => `${c} ${n}`).join(', ')}`);

    // Nothing written outside the temp dir: the current folder stays empty, the photos are
    // unchanged, the home folder gained nothing, and the data dir holds only settings and cache.
    expect(await readdir(cwd)).toEqual([]);
    const after = await fingerprint(photos);
    expect([...after.keys()].sort()).toEqual([...originals.keys()].sort());
    let unchanged = 0;
    for (const [file, print] of originals) if (after.get(file) === print) unchanged++;
    figures.originals(originals.size, unchanged);
    expect(unchanged).toBe(originals.size);
    for (const [dir, before] of homeBefore) expect(await listingOf(dir), dir).toEqual(before);
    const dataFiles = await readdir(join(root, 'data'), { recursive: true });
    for (const file of dataFiles) expect(file, 'a file in the data dir').toMatch(/^(config\.json|Cache(\/.*)?)$/);
    expect(await listingOf(root)).toEqual(['cwd', 'data', 'photos']);
  });
});
