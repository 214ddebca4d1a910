// What the desktop shows of long work while the window is elsewhere: the batch's progress on the
// taskbar / dock icon (fed from job:progress, cleared on job:done), and a native notification when a
// batch or a training run ends that notifiesEnd() (src-shared/long-work.ts: long, window not in
// front). This is the desktop shell's only notification path: the page's web notifications stay
// denied by the permission handler, so the Queue offers no "Notify me" there. Decided here from the
// contract's events, without Electron: main.ts gives it a DesktopShell over
// BrowserWindow.setProgressBar and Electron's main-process Notification.
import type { EventName, EventPayload } from '../../src-shared/contract.js';
import { batchSummary, batchTitle, notifiesEnd, TrainRunWatch } from '../../src-shared/long-work.js';

/**
 * Windows shows a toast only for the app user model ID of a Start-menu shortcut: electron-builder's
 * NSIS installer gives its shortcut the appId (electron-builder.yml), so the app says the same.
 * (Run unpackaged or portable, no shortcut carries it and Windows may drop the toast.)
 */
export const APP_USER_MODEL_ID = 'app.clearframe.desktop';

export interface DesktopShell {
  /** The fraction done (0–1) on the taskbar / dock icon, or null to clear it. */
  setProgress(fraction: number | null): void;
  notify(title: string, body: string): void;
  /** Whether the user is looking at the window (then a notification would only repeat it). */
  isFocused(): boolean;
}

export class DesktopFeedback {
  /** Batches running: when each began and how far it is. */
  private readonly jobs = new Map<string, { started: number; fraction: number }>();
  /** Training runs seen running, by when they began. */
  private readonly runs = new TrainRunWatch();

  constructor(
    private readonly shell: DesktopShell,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every event the api emits passes through here (main.ts wraps the emitter). */
  observe<E extends EventName>(event: E, payload: EventPayload<E>): void {
    if (event === 'job:progress') this.progress(payload as EventPayload<'job:progress'>);
    else if (event === 'job:done') this.jobDone(payload as EventPayload<'job:done'>);
    else if (event === 'train:progress') this.train(payload as EventPayload<'train:progress'>);
  }

  private progress(p: EventPayload<'job:progress'>): void {
    // The job's own fraction: weighted by pixels, as the Queue's bar is.
    const fraction = Math.min(1, Math.max(0, p.fraction));
    const job = this.jobs.get(p.jobId);
    if (job) job.fraction = fraction;
    else this.jobs.set(p.jobId, { started: this.now(), fraction });
    this.showProgress();
  }

  private jobDone(done: EventPayload<'job:done'>): void {
    const job = this.jobs.get(done.jobId);
    this.jobs.delete(done.jobId);
    this.showProgress();
    if (job && this.notifiesEnd(job.started)) this.shell.notify(batchTitle(done), batchSummary(done));
  }

  private train(p: EventPayload<'train:progress'>): void {
    const end = this.runs.observe(p, this.now());
    if (end && this.notifiesEnd(end.startedMs)) this.shell.notify(end.title, end.body);
  }

  /** Several batches at once (rare) show their mean; none clears the bar. */
  private showProgress(): void {
    if (this.jobs.size === 0) return this.shell.setProgress(null);
    const fractions = [...this.jobs.values()].map((j) => j.fraction);
    this.shell.setProgress(fractions.reduce((a, b) => a + b, 0) / fractions.length);
  }

  private notifiesEnd(started: number): boolean {
    return notifiesEnd(started, this.now(), this.shell.isFocused());
  }
}
