// The engine process in the desktop app: Electron's utilityProcess (child_process.fork would need
// the RunAsNode fuse, which packaged builds turn off). Same four members as the fork transport.
import { utilityProcess } from 'electron';
import { fileURLToPath } from 'node:url';
import type { TransportFactory } from '../engine-client/engine-client.js';
import type { EngineTransport } from '../engine-client/transport.js';

// Electron always runs the compiled main process, so the entry is the .js beside this module's twin.
const engineEntry = (): string => fileURLToPath(new URL('../engine/process/engine-main.js', import.meta.url));

export const utilityEngine: TransportFactory = (): EngineTransport => {
  const child = utilityProcess.fork(engineEntry(), [], { serviceName: 'Clearframe engine', stdio: 'inherit' });
  return {
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', (code) => listener(code, null)),
    kill: () => void child.kill(),
  };
};
