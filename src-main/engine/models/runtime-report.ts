// What will run the models on this machine, in one line for `clearframe models`: opens the default
// grey (else colour) model and reports its runtime, provider and precision, and the providers that
// were tried before it and skipped (could not start, or answered the probe tile wrongly). Given the
// Settings → Engine choice, it opens the model the way the app's jobs do (app:info). Opening costs
// a session in its own thread and a probe run, so each answer is kept for the engine's life, per
// model folder and choice: app:info is asked often (every window, Settings, the Models view).
import { runtimeLabel } from '../infer/runtime.js';
import type { EngineChoice } from '../../../src-shared/schemas/settings.js';
import type { ModelSummary } from '../../../src-shared/schemas/models.js';
import { openOptionsFromSettings, type ModelRegistry } from './registry.js';

export interface RuntimeReport {
  /** "onnxruntime:cpu", "onnxruntime:cpu:int8", "onnxruntime:dml", "tfjs:wasm"…; absent when no model could be opened. */
  runtime?: string;
  /** Why the tfjs fallback runs, or why nothing runs. */
  note?: string;
  /** Providers tried first and skipped, with why. */
  skipped?: readonly string[];
}

/** Answers so far, by model folder and Settings → Engine choice; a failure is not kept (the user may mend it). */
const reports = new Map<string, Promise<RuntimeReport>>();

export async function describeRuntime(registry: ModelRegistry, engine?: EngineChoice): Promise<RuntimeReport> {
  const models = await registry.list();
  if (models.length === 0) return { note: 'no models installed' };
  let summary: ModelSummary;
  try {
    summary = await registry.defaultFor(models.some((m) => m.card.channels === 1) ? 1 : 3);
  } catch (error) {
    return { note: (error as Error).message };
  }
  const key = JSON.stringify([summary.folder, engine ?? null, registry.openOptions.precision ?? null]);
  let report = reports.get(key);
  if (!report) {
    report = openAndDescribe(registry, summary, engine);
    reports.set(key, report);
    void report.then((r) => r.runtime === undefined && reports.delete(key));
  }
  return report;
}

async function openAndDescribe(
  registry: ModelRegistry,
  summary: ModelSummary,
  engine: EngineChoice | undefined,
): Promise<RuntimeReport> {
  try {
    const chosen = engine ? openOptionsFromSettings(engine, registry.openOptions.precision) : undefined;
    const opened = chosen
      ? await registry.open(summary, chosen.preference, chosen.options)
      : await registry.open(summary);
    await opened.runtime.dispose();
    const runtime = runtimeLabel(opened.runtime);
    const skipped = opened.runtime.skipped?.length ? { skipped: opened.runtime.skipped } : {};
    return opened.runtimeFallbackReason
      ? { runtime, note: opened.runtimeFallbackReason, ...skipped }
      : { runtime, ...skipped };
  } catch (error) {
    return { note: (error as Error).message };
  }
}
