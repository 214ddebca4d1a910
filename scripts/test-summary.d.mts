export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}
export declare function vitestCounts(report: unknown): Counts;
export declare function playwrightCounts(report: unknown): Counts;
export declare function summaryLine(counts: Counts): string;
export declare function vitestFileLines(
  report: unknown,
  skipNotes?: Record<string, Array<{ name: string; note?: string }>>,
  root?: string,
): string[];
export declare function playwrightSkipLines(report: unknown): string[];
