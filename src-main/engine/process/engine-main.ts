// Entry point of the engine process (forked by EngineClient). Everything heavy — decoding, the
// network, encoding — happens here, so the UI process never blocks and a native crash here is
// survivable.
import { EngineWorker } from './engine-worker.js';
import type { FromEngine } from './protocol.js';

if (!process.send) {
  console.error('engine-main must be started with an IPC channel (child_process.fork or utilityProcess).');
  process.exit(2);
}

const worker = new EngineWorker((message: FromEngine) => process.send?.(message));
// Tasks run concurrently only in the sense that cancel must get through while a file runs.
process.on('message', (message) => void worker.handle(message));
process.on('disconnect', () => {
  void worker.dispose().finally(() => process.exit(0));
});
