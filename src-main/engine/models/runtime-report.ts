// What will run the models on this machine, in one line for app:info and `clearframe models`:
// opens the default grey (else colour) model and reports its runtime and provider.
import type { ModelRegistry } from './registry.js';

export interface RuntimeReport {
  /** "onnxruntime:cpu", "onnxruntime:dml", "tfjs:wasm"…; absent when no model could be opened. */
  runtime?: string;
  /** Why the tfjs fallback runs, or why nothing runs. */
  note?: string;
}

export async function describeRuntime(registry: ModelRegistry): Promise<RuntimeReport> {
  const models = await registry.list();
  if (models.length === 0) return { note: 'no models installed' };
  try {
    const opened = await registry.open(await registry.defaultFor(models.some((m) => m.card.channels === 1) ? 1 : 3));
    await opened.runtime.dispose();
    const runtime = `${opened.runtime.runtime}:${opened.runtime.provider}`;
    return opened.runtimeFallbackReason ? { runtime, note: opened.runtimeFallbackReason } : { runtime };
  } catch (error) {
    return { note: (error as Error).message };
  }
}
