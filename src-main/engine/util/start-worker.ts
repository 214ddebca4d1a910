// Starts a worker thread from a module beside the caller: the compiled .js in a build, or the .ts
// source under tsx (tests, the CLI in development). Node will not load a .ts worker entry even with
// `--import tsx` in execArgv, so a one-line eval'd entry registers tsx's loader in the worker first.
import { Worker } from 'node:worker_threads';

/**
 * `entry` is the worker module's URL with a .js extension, resolved against the caller's
 * import.meta.url (`new URL('./x-worker.js', import.meta.url)`); under tsx the .ts beside it runs.
 */
export function startWorker(entry: URL, callerUrl: string): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(entry);
  const source = entry.href.replace(/\.js$/, '.ts');
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true });
}
