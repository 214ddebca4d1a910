// What will run the models on this machine, in one line for `clearframe models`: opens the default
// grey (else colour) model and reports its runtime, provider and precision, and the providers that
// were tried before it and skipped (could not start, or answered the probe tile wrongly).
import { runtimeLabel } from '../infer/runtime.js';
import type { ModelRegistry } from './registry.js';

export interface RuntimeReport {
  /** "onnxruntime:cpu", "onnxruntime:cpu:int8", "onnxruntime:dml", "tfjs:wasm"…; absent when no model could be opened. */
  runtime?: string;
  /** Why the tfjs fallback runs, or why nothing runs. */
  note?: string;
  /** Providers tried first and skipped, with why. */
  skipped?: readonly string[];
}

export async function describeRuntime(registry: ModelRegistry): Promise<RuntimeReport> {
  const models = await registry.list();
  if (models.length === 0) return { note: 'no models installed' };
  try {
    const opened = await registry.open(await registry.defaultFor(models.some((m) => m.card.channels === 1) ? 1 : 3));
    await opened.runtime.dispose();
    const runtime = runtimeLabel(opened.runtime);
    const skipped = opened.runtime.skipped?.length ? { skipped: opened.runtime.skipped } : {};
    return opened.runtimeFallbackReason ? { runtime, note: opened.runtimeFallbackReason, ...skipped } : { runtime, ...skipped };
  } catch (error) {
    return { note: (error as Error).message };
  }
}
