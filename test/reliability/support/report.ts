// Sums the per-file figures and formats the issue #9 table; writes reliability-<date>.json (to
// bench/results when recording, else test-results/).
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyFigures, type Figures } from './figures.js';

export const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export function total(parts: Record<string, Figures>): Figures {
  const sum = emptyFigures();
  for (const part of Object.values(parts)) {
    sum.badInputsTried += part.badInputsTried;
    sum.badInputsHandled += part.badInputsHandled;
    sum.faultsInjected += part.faultsInjected;
    sum.faultsSurvived += part.faultsSurvived;
    sum.originalsChecked += part.originalsChecked;
    sum.originalsUnchanged += part.originalsUnchanged;
    Object.assign(sum.measures, part.measures);
    sum.notes.push(...part.notes);
  }
  return sum;
}

export interface RunInfo {
  full: boolean;
  seconds: number;
}

export function formatTable(parts: Record<string, Figures>, run: RunInfo): string {
  const sum = total(parts);
  const rows: Array<[string, string]> = [
    ['bad inputs tried / handled', `${sum.badInputsTried} / ${sum.badInputsHandled}`],
    ['faults injected / survived', `${sum.faultsInjected} / ${sum.faultsSurvived}`],
    ['originals checked / unchanged', `${sum.originalsChecked} / ${sum.originalsUnchanged}`],
  ];
  for (const [name, value] of Object.entries(sum.measures).sort(([a], [b]) => a.localeCompare(b))) {
    rows.push([name, Number.isInteger(value) ? String(value) : value.toFixed(2)]);
  }
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = [
    `Clearframe reliability figures (${run.full ? 'full' : 'default'} run, ${run.seconds.toFixed(0)} s)`,
    '-'.repeat(width + 24),
    ...rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`),
  ];
  if (sum.notes.length > 0) lines.push('-'.repeat(width + 24), 'notes:', ...sum.notes.map((n) => `  - ${n}`));
  return lines.join('\n');
}

export function writeResults(parts: Record<string, Figures>, run: RunInfo): string {
  const date = new Date().toISOString().slice(0, 10);
  // bench/results holds the figures the README cites: a full run, or one asked to record them
  // (CLEARFRAME_RELIABILITY_RECORD=1). Any other run (npm test) writes to the ignored test-results/,
  // so running the tests leaves the checkout clean.
  const record = run.full || process.env.CLEARFRAME_RELIABILITY_RECORD === '1';
  const dir = join(repoRoot, record ? 'bench/results' : 'test-results');
  mkdirSync(dir, { recursive: true });
  // A full run (with the 500-photo load test) keeps its own file, so a later default run does not replace it.
  const path = join(dir, `reliability-${date}${run.full ? '-full' : ''}.json`);
  const machine = {
    platform: platform(),
    arch: arch(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
  };
  // What ran, and how busy the machine was: the figures are wall-clock times on shared cores.
  const command = [basename(process.argv[1] ?? 'vitest'), ...process.argv.slice(2)].join(' ');
  const load = { loadavgAtEnd: loadavg().map((l) => Math.round(l * 100) / 100) };
  writeFileSync(
    path,
    JSON.stringify(
      { date: new Date().toISOString(), command, ...run, machine, load, total: total(parts), parts },
      null,
      2,
    ) + '\n',
  );
  return path;
}
