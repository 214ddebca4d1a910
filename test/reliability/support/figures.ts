// Figures the reliability suite reports (issue #9): each test file adds to its own record, written
// as JSON into a folder the global setup provides; the global teardown sums them into one table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

export interface Figures {
  badInputsTried: number;
  badInputsHandled: number;
  faultsInjected: number;
  faultsSurvived: number;
  originalsChecked: number;
  originalsUnchanged: number;
  /** Named measurements (peak RSS, throughput, latency, ...), each with its unit in the name. */
  measures: Record<string, number>;
  /** Cases that failed an expectation or were skipped, with the reason: the table lists them. */
  notes: string[];
}

export function emptyFigures(): Figures {
  return {
    badInputsTried: 0,
    badInputsHandled: 0,
    faultsInjected: 0,
    faultsSurvived: 0,
    originalsChecked: 0,
    originalsUnchanged: 0,
    measures: {},
    notes: [],
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    figuresDir: string;
  }
}

/** One file's figures; `save()` after each test so a crash later still leaves what was measured. */
export class FigureRecorder {
  readonly figures = emptyFigures();
  constructor(readonly name: string) {}

  badInput(handled: boolean, note?: string): void {
    this.figures.badInputsTried++;
    if (handled) this.figures.badInputsHandled++;
    if (note !== undefined) this.note(note);
    this.save();
  }
  fault(survived: boolean, note?: string): void {
    this.figures.faultsInjected++;
    if (survived) this.figures.faultsSurvived++;
    if (note !== undefined) this.note(note);
    this.save();
  }
  originals(checked: number, unchanged: number): void {
    this.figures.originalsChecked += checked;
    this.figures.originalsUnchanged += unchanged;
    this.save();
  }
  measure(name: string, value: number): void {
    this.figures.measures[name] = value;
    this.save();
  }
  add(name: string, value: number): void {
    this.figures.measures[name] = (this.figures.measures[name] ?? 0) + value;
    this.save();
  }
  note(text: string): void {
    this.figures.notes.push(`${this.name}: ${text}`);
    this.save();
  }
  save(): void {
    let dir: string | undefined;
    try {
      dir = inject('figuresDir');
    } catch {
      dir = process.env.CLEARFRAME_RELIABILITY_FIGURES;
    }
    if (dir === undefined || dir === '') return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${this.name}.json`), JSON.stringify(this.figures, null, 2));
  }
}
