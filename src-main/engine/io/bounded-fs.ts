// A file-system step that cannot hang the engine: some drivers never answer (the exFAT FUSE driver
// looped forever in a recursive mkdir of a folder named "best?"), and a promise that never settles
// would hold its task, and the batch behind it, for good. After DISK_ANSWER_MS the step fails with
// a clear error instead; the stuck call itself cannot be taken back, but nothing waits on it.
import { basename } from 'node:path';
import { EngineError } from '../contract/engine-error.js';

export const DISK_ANSWER_MS = 30_000;

/** `step`'s result, or an 'io' EngineError naming `path` when the disk has not answered within `ms`. */
export function bounded<T>(step: Promise<T>, path: string, ms = DISK_ANSWER_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new EngineError('io', `${basename(path)}: the disk did not answer within ${ms / 1000} s`, path)),
      ms,
    );
    timer.unref();
  });
  return Promise.race([step, timeout]).finally(() => clearTimeout(timer));
}
