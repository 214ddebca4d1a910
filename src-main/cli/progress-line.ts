// One self-rewriting status line on a terminal (stderr), e.g.
//   [########............] 3/10 photo.jpg  tiles 12/40  1.4 img/s  ETA 8s
// Off a TTY nothing is drawn: callers print whole lines instead.

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const m = Math.floor(seconds / 60);
  return m < 60
    ? `${m}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function progressBar(fraction: number, width = 20): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export class ProgressLine {
  private shown = false;
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  update(text: string): void {
    if (!this.enabled) return;
    const columns = this.stream.columns ?? 100;
    this.stream.write(`\r${text.slice(0, columns - 1).padEnd(columns - 1)}`);
    this.shown = true;
  }

  /** Clears the line so a normal line can be printed. */
  clear(): void {
    if (!this.shown) return;
    this.stream.write(`\r${' '.repeat((this.stream.columns ?? 100) - 1)}\r`);
    this.shown = false;
  }
}
