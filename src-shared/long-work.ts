// When the end of long work (a batch, a training run) is worth a notification, and what a batch's
// says: one rule and one text for both hosts. The desktop shell notifies from its main process
// (src-main/app/desktop-feedback.ts, Electron's native Notification, fed by the contract's events;
// the page's own web notifications stay denied there); the browser host has only the page, which
// uses the web Notification API once the user asks for it (src-renderer/lib/notifications.ts).
import type { JobDone } from './schemas/denoise.js';

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
