// How the main process talks to the engine process. Node's child_process.fork here (browser host,
// CLI, tests); the Electron shell can provide the same four members over utilityProcess.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface EngineTransport {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process ends, for whatever reason. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Ends the process now; the graceful end is the 'shutdown' message (EngineClient.dispose). */
  kill(): void;
}

/**
 * A sibling module of `fromUrl` as a runnable entry: the .ts source under tests and `tsx` (run with
 * `--import tsx`), or the compiled .js in dist. `name` is a relative path without extension.
 */
export function siblingEntry(fromUrl: string, name: string): { path: string; execArgv: string[] } {
  const here = fileURLToPath(fromUrl);
  const ts = here.endsWith('.ts');
  const path = fileURLToPath(new URL(`./${name}.${ts ? 'ts' : 'js'}`, fromUrl));
  if (!existsSync(path)) throw new Error(`Engine entry ${path} does not exist`);
  // tsx by absolute URL: a bare `--import tsx` resolves from the child's cwd, which may be anywhere.
  return { path, execArgv: ts ? ['--import', pathToFileURL(createRequire(fromUrl).resolve('tsx')).href] : [] };
}

/** `onFork` sees each child process (tests keep them to kill one mid-task). */
export function forkTransport(
  entry: { path: string; execArgv: string[] },
  env: NodeJS.ProcessEnv = process.env,
  onFork?: (child: ChildProcess) => void,
): EngineTransport {
  const child = fork(entry.path, [], {
    execArgv: entry.execArgv,
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  onFork?.(child);
  return {
    send: (message) => {
      // An engine that died a moment ago, before 'exit' reached us, fails the send later with EPIPE:
      // without a callback that is an 'error' event on the child that nobody handles, which would end
      // this process too. The exit that follows fails the pending tasks (the engine does the same
      // for its parent, engine-main.ts).
      if (child.connected) child.send(message as never, undefined, undefined, () => undefined);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', (code, signal) => listener(code, signal)),
    kill: () => child.kill('SIGKILL'),
  };
}
