// The engine works below the UI. Its network runs on every core, and at the same priority the window
// (renderer, main or browser host) was starved: a Cancel click during a 12-MP Save once took 6 s just
// to reach the page's own handler. A lower priority costs the engine nothing when the UI is idle and
// keeps the UI answering when it is not. Imported first by engine-main, before sharp or ONNX Runtime
// start their thread pools. On Linux a priority belongs to a thread and new threads inherit their
// creator's, so the threads Node started before this ran (V8's helpers) are lowered one by one.
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Nice 10 (Windows: below normal). */
export const ENGINE_NICENESS = 10;

function threadIds(): number[] {
  if (process.platform !== 'linux') return [0];
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return [0];
  }
}

for (const id of threadIds()) {
  try {
    setPriority(id, ENGINE_NICENESS);
  } catch {
    // Not permitted here (a sandbox): the engine still works, only less politely.
  }
}
