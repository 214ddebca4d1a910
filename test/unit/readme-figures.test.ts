// Every measured figure in README.md names the result file that holds it, and this test holds the
// README to it. The citation is a Markdown link whose text is the figure and whose target is the
// JSON file, inline or by reference:
//
//   ONNX Runtime's network compute: [12.5 s](bench/results/speed-2026-11-30.json)
//   | clearframe-grey | [32.15 / 0.893][quality-grey] | …
//   [quality-grey]: bench/results/quality-2026-11-30-clearframe-grey.json
//
// For each such link the file must exist and hold every number of the link's text, to the decimals
// quoted (28.80 is held by 28.7994…; 4,062 by 4062). A difference or ratio worked out from cited
// figures stands outside the link; a figure with no result file behind it does not stand at all.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

export interface Citation {
  /** The link's text: the figure(s) quoted. */
  text: string;
  /** The result file, relative to the repository root; undefined for a reference with no definition. */
  file: string | undefined;
  line: number;
}

/** Numbers as the README writes them: thousands split by a comma or a (thin) space, a − or - sign. */
const NUMBER = /[-−]?\d{1,3}(?:[,\u00a0\u2009\u202f ]\d{3})+(?:\.\d+)?(?![\d])|[-−]?\d+(?:\.\d+)?/g;

interface Quoted {
  value: number;
  decimals: number;
  text: string;
}

export function quotedNumbers(text: string): Quoted[] {
  return [...text.matchAll(NUMBER)].map(([match]) => {
    const plain = match.replace(/[,\u00a0\u2009\u202f ]/g, '').replace('−', '-');
    return { value: Number(plain), decimals: plain.split('.')[1]?.length ?? 0, text: match };
  });
}

/** Every link to a .json file, inline `[text](file.json)` or by reference `[text][label]`; code spans are not read. */
export function citations(markdown: string): Citation[] {
  const lines = markdown.split('\n').map((l) => l.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length)));
  const definitions = new Map<string, string>();
  for (const line of lines) {
    const def = /^\s{0,3}\[([^\]]+)\]:\s*(\S+)/.exec(line);
    if (def) definitions.set(def[1]!.toLowerCase(), def[2]!);
  }
  const found: Citation[] = [];
  lines.forEach((line, index) => {
    if (/^\s{0,3}\[[^\]]+\]:/.test(line)) return;
    for (const m of line.matchAll(/(?<!!)\[([^\]]+)\](?:\(([^)\s]+)\)|\[([^\]]+)\])/g)) {
      const file = m[2] ?? definitions.get(m[3]!.toLowerCase());
      if (file === undefined || file.endsWith('.json')) found.push({ text: m[1]!, file, line: index + 1 });
    }
  });
  return found;
}

/** Every number in a JSON document: its number values and the numbers inside its strings (a stored table). */
export function numbersIn(json: unknown): number[] {
  if (typeof json === 'number') return [json];
  if (typeof json === 'string') return quotedNumbers(json).map((q) => q.value);
  if (Array.isArray(json)) return json.flatMap(numbersIn);
  if (json !== null && typeof json === 'object') return Object.values(json).flatMap(numbersIn);
  return [];
}

/** Whether one of `values`, rounded to the decimals quoted, is the number quoted. */
export function holds(values: readonly number[], quoted: Quoted): boolean {
  const half = 0.5 * 10 ** -quoted.decimals + 1e-9;
  return values.some((v) => Math.abs(v - quoted.value) <= half);
}

/** What is wrong with each citation: a missing or unreadable file, a number it does not hold. */
export function checkCitations(markdown: string, repoRoot: string): string[] {
  const problems: string[] = [];
  const cache = new Map<string, number[] | string>();
  for (const c of citations(markdown)) {
    const where = `README.md:${c.line} [${c.text}](${c.file ?? '?'})`;
    if (c.file === undefined) {
      problems.push(`${where}: a reference with no [label]: definition`);
      continue;
    }
    if (!cache.has(c.file)) {
      const path = join(repoRoot, c.file);
      if (!existsSync(path)) cache.set(c.file, 'no such file');
      else {
        try {
          cache.set(c.file, numbersIn(JSON.parse(readFileSync(path, 'utf8'))));
        } catch (error) {
          cache.set(c.file, `not JSON: ${(error as Error).message}`);
        }
      }
    }
    const values = cache.get(c.file)!;
    if (typeof values === 'string') {
      problems.push(`${where}: ${values}`);
      continue;
    }
    const quoted = quotedNumbers(c.text);
    if (quoted.length === 0) problems.push(`${where}: the link's text quotes no number`);
    for (const q of quoted) if (!holds(values, q)) problems.push(`${where}: ${q.text} is not in the file`);
  }
  return problems;
}

describe('README figures', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');

  it('cite result files that exist and hold the numbers quoted', () => {
    expect(citations(readme).length).toBeGreaterThan(50);
    expect(checkCitations(readme, root)).toEqual([]);
  });

  it('the check reads inline and reference links, rounds as quoted, and catches a wrong, missing or unresolved citation', () => {
    const file = 'bench/results/speed-2026-11-30-int8-12mp.json'; // rounds 15.47…, 8.39…; int8Speedup 1.891…
    const markdown = [
      `| int8 | [8.4, 7.9](${file}) | [**1.89×**][s] |`,
      '`[9.99](not/read.json)` in a code span is not a citation; [a link](docs/architecture.md) is not either.',
      `[1.88×](${file}) [1 628 ms][s] [12.5 s](bench/results/no-such-file.json) [28.80 dB][nowhere]`,
      `[s]: ${file}`,
    ].join('\n');
    expect(citations(markdown).map((c) => c.text)).toEqual([
      '8.4, 7.9',
      '**1.89×**',
      '1.88×',
      '1 628 ms',
      '12.5 s',
      '28.80 dB',
    ]);
    expect(checkCitations(markdown, root)).toEqual([
      `README.md:3 [1.88×](${file}): 1.88 is not in the file`,
      `README.md:3 [1 628 ms](${file}): 1 628 is not in the file`,
      'README.md:3 [12.5 s](bench/results/no-such-file.json): no such file',
      'README.md:3 [28.80 dB](?): a reference with no [label]: definition',
    ]);
    expect(quotedNumbers('4,062 requests, −0.04 dB, 1 628')).toMatchObject([
      { value: 4062, decimals: 0 },
      { value: -0.04, decimals: 2 },
      { value: 1628, decimals: 0 },
    ]);
  });
});
