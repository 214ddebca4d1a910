// Entry point of the engine process. Everything heavy — decoding, thumbnails, folder scans, the
// network, encoding, training runs — happens here, so the UI process never blocks and a native
// crash here is survivable. Started either by child_process.fork (browser host, CLI, tests:
// messages over process.send) or by Electron's utilityProcess (messages over process.parentPort);
// both carry the same protocol.
import './background-priority.js'; // first: the thread pools created below inherit it
import { disableImageCache } from '../io/image-library.js';
import { removeInFlightTemps } from '../io/atomic-write.js';
import { EngineWorker } from './engine-worker.js';
import type { FromEngine } from '../contract/protocol.js';

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}
disableImageCache();
// However the process ends short of SIGKILL (process.exit, an uncaught exception), no half-written
// temp file stays behind; exitCleanly removes them itself before the SIGKILL it may need.
process.on('exit', removeInFlightTemps);

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

/**
 * Ends the process the way Stop ends a run: a training run checkpoints and saves its model, then the
 * unfinished temp files of interrupted saves are removed. A signal (SIGTERM from the OS or Electron's
 * utilityProcess.kill(), SIGINT from Ctrl-C reaching the whole process group, SIGHUP from a closed
 * terminal), EngineClient.dispose()'s 'shutdown' and the parent's going away all end here; repeats
 * are ignored.
 */
function exitCleanly(worker: EngineWorker): void {
  void worker.dispose().then(
    (settled) => {
      removeInFlightTemps();
      // A thread stuck in a file-system call would hold process.exit() at its thread-pool join forever.
      if (settled) process.exit(0);
      else process.kill(process.pid, 'SIGKILL');
    },
    () => process.exit(1),
  );
}

function endOnSignals(worker: EngineWorker): void {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => exitCleanly(worker));
}

if (parentPort) {
  const worker: EngineWorker = new EngineWorker(
    (message: FromEngine) => parentPort.postMessage(message),
    undefined,
    () => exitCleanly(worker),
  );
  parentPort.on('message', (event) => void worker.handle(event.data));
  endOnSignals(worker);
} else if (process.send) {
  // Nothing to tell once the parent is gone (a run stopping at shutdown still reports): sending then
  // throws, or, when the parent died a moment ago and 'disconnect' has not come yet, fails later with
  // EPIPE. The callback takes that error: without one it is an 'error' event nobody handles, which
  // ends the process at once (a save then never finishes its move).
  const worker: EngineWorker = new EngineWorker(
    (message: FromEngine) => {
      if (process.connected) process.send?.(message, undefined, undefined, () => undefined);
    },
    undefined,
    () => exitCleanly(worker),
  );
  // Not awaited: a cancel, a thumbnail or a training request must get through while a file runs.
  process.on('message', (message) => void worker.handle(message));
  process.on('disconnect', () => exitCleanly(worker));
  endOnSignals(worker);
} else {
  console.error('engine-main must be started with an IPC channel (child_process.fork or utilityProcess).');
  process.exit(2);
}
