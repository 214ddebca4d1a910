// When the end of long work (a batch, a training run) is worth a notification, and what it says:
// one rule and one text for both hosts. The desktop shell notifies from its main process
// (src-main/app/desktop-feedback.ts, Electron's native Notification, fed by the contract's events;
// the page's own web notifications stay denied there); the browser host has only the page, which
// uses the web Notification API once the user asks for it (src-renderer/lib/notifications.ts).
import type { JobDone } from './schemas/denoise.js';
import type { TrainPhase, TrainProgress } from './schemas/train.js';

/** Work shorter than this ends without a notification: the user saw it end. */
export const LONG_WORK_SECONDS = 20;

/** Whether work that ran from `startedMs` to `endedMs` ends with a notification: it was long, and the user is not looking at the window. */
export function notifiesEnd(startedMs: number, endedMs: number, windowInFront: boolean): boolean {
  return !windowInFront && endedMs - startedMs >= LONG_WORK_SECONDS * 1000;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The title of a batch's notification. */
export function batchTitle(done: JobDone): string {
  return done.failed > 0 ? 'Denoising finished with errors' : 'Denoising finished';
}

/** "12 photos denoised, 1 failed, 3 cancelled" (the parts that are not zero). */
export function batchSummary(done: JobDone): string {
  const parts = [`${plural(done.succeeded, 'photo')} denoised`];
  if (done.failed > 0) parts.push(`${done.failed} failed`);
  if (done.skipped > 0) parts.push(`${done.skipped} already had a denoised copy`);
  if (done.cancelled > 0) parts.push(`${done.cancelled} cancelled`);
  return parts.join(', ');
}

const FINAL_TRAIN_PHASES: Readonly<Partial<Record<TrainPhase, string>>> = {
  done: 'Training finished',
  stopped: 'Training stopped',
  failed: 'Training failed',
};

/** The title of a training run's notification, or undefined for a phase of a run still going. */
export function trainTitle(phase: TrainPhase): string | undefined {
  return FINAL_TRAIN_PHASES[phase];
}

/** "500 of 500 steps", or why the run failed. */
export function trainSummary(p: Pick<TrainProgress, 'phase' | 'step' | 'totalSteps' | 'message'>): string {
  return p.phase === 'failed' && p.message ? p.message : `${p.step} of ${p.totalSteps} steps`;
}

/** A training run's end as its notification tells it, and when the run was first seen going. */
export interface TrainEnd {
  startedMs: number;
  title: string;
  body: string;
}

/**
 * Follows training runs through their progress events. A run counts from when it was first seen
 * going, so one already running when the watcher began counts from then; a final phase of a run
 * never seen going (status replayed after a restart or a reload) ends nothing.
 */
export class TrainRunWatch {
  private readonly started = new Map<string, number>();

  /** Takes one progress event seen at `nowMs`: the run's end when this event ends a run seen going. */
  observe(p: TrainProgress, nowMs: number): TrainEnd | undefined {
    const title = trainTitle(p.phase);
    if (title === undefined) {
      if (!this.started.has(p.runId)) this.started.set(p.runId, nowMs);
      return undefined;
    }
    const startedMs = this.started.get(p.runId);
    this.started.delete(p.runId);
    return startedMs === undefined ? undefined : { startedMs, title, body: trainSummary(p) };
  }
}
