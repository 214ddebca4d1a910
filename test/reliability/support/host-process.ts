// The browser host in its own process (as `npm start` runs it), so load figures measure the host
// and not the test's own event loop, and its memory can be read from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './env.js';

export interface HostProcess {
  url: string;
  token: string;
  port: number;
  child: ChildProcess;
  /** Resident memory of the host now, in MiB (Linux), or NaN. */
  rssMiB(): Promise<number>;
  stop(): Promise<void>;
}

export async function spawnHost(dataDir: string, rendererDir: string, timeoutMs = 60_000): Promise<HostProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'src-main/host/main.ts'),
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--renderer-dir',
      rendererDir,
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the host did not start in ${timeoutMs} ms: ${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited (${code}) before it started: ${output}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    token: parsed.searchParams.get('token')!,
    port: Number(parsed.port),
    child,
    rssMiB: async () => {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
      const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
      return kb === undefined ? Number.NaN : Number(kb) / 1024;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
