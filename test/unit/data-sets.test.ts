// The data suite's sets, the GitHub action that fetches them and the README that names them agree:
// every set a test/data file reads is listed in test/data/data-sets.ts, the action fetches each from
// its listed repository and commit, and the README's Quick start names each.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_SETS } from '../data/data-sets.js';
import { repoRoot } from '../helpers/images.js';

const read = (path: string): string => readFileSync(join(repoRoot, path), 'utf8');

describe('the data suite’s benchmark sets', () => {
  it('lists every set a data test reads', () => {
    const listed = new Set(DATA_SETS.map((s) => s.folder));
    const read_ = new Set<string>();
    for (const file of readdirSync(join(repoRoot, 'test/data')).filter((f) => f.endsWith('.ts'))) {
      const text = read(`test/data/${file}`);
      for (const m of text.matchAll(/shared\/data\/([\w-]+)|join\(dataDir, '([\w-]+)'/g)) read_.add((m[1] ?? m[2])!);
    }
    expect(read_.size).toBeGreaterThan(0);
    for (const folder of read_) expect(listed, `test/data reads ${folder}`).toContain(folder);
  });

  it('are each fetched by .github/actions/shared-data from their repository and commit, and named in the README', () => {
    const action = read('.github/actions/shared-data/action.yml');
    const quickStart = read('README.md').split('## Commands')[0]!;
    for (const set of DATA_SETS) {
      const line = action
        .split('\n')
        .find((l) => l.includes(set.repo) && l.includes(set.commit) && l.includes(set.folder));
      expect(line, `the action fetches ${set.folder} from ${set.repo}@${set.commit}`).toBeDefined();
      expect(quickStart).toContain(set.folder);
    }
  });
});
