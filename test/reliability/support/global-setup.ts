// Gives every reliability test file a folder for its figures, and at the end prints the table of
// issue #9 and writes it to reliability-<date>.json (bench/results for a full or recorded run,
// CLEARFRAME_RELIABILITY_RECORD=1; else the ignored test-results/).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { emptyFigures, type Figures } from './figures.js';
import { formatTable, writeResults } from './report.js';

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'clearframe-reliability-figures-'));
  project.provide('figuresDir', dir);
  process.env.CLEARFRAME_RELIABILITY_FIGURES = dir;
  const started = Date.now();
  return () => {
    const parts: Record<string, Figures> = {};
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.json')) continue;
      parts[file.replace(/\.json$/, '')] = {
        ...emptyFigures(),
        ...(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Figures),
      };
    }
    rmSync(dir, { recursive: true, force: true });
    if (Object.keys(parts).length === 0) return;
    const full = process.env.CLEARFRAME_RELIABILITY_FULL === '1';
    console.log('\n' + formatTable(parts, { full, seconds: (Date.now() - started) / 1000 }));
    const path = writeResults(parts, { full, seconds: (Date.now() - started) / 1000 });
    console.log(`Figures written to ${path}\n`);
  };
}
