// Opened models, kept between files of a batch (opening costs an ONNX session and a probe run).
// Keyed by the requested model and the image's channel count, since "default" depends on both.
import type { LoadedModel, ModelRegistry } from '../models/registry.js';

export interface CachedModel {
  model: LoadedModel;
  /** Why the requested model was replaced by the default, when it was. */
  warning?: string;
}

export class ModelCache {
  private readonly entries = new Map<string, Promise<CachedModel>>();

  constructor(readonly registry: ModelRegistry) {}

  get(ref: string | undefined, channels: 1 | 3): Promise<CachedModel> {
    const key = `${ref ?? ''}|${channels}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = this.registry.openWithFallback(ref, channels).then(({ model, reason }) =>
        reason ? { model, warning: `Model "${ref}" could not be used, ${model.card.id} ran instead: ${reason}` } : { model },
      );
      // A failed open is not cached: the user may fix or import the model and try again.
      entry.catch(() => this.entries.delete(key));
      this.entries.set(key, entry);
    }
    return entry;
  }

  async dispose(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const entry of all) {
      try {
        await (await entry).model.runtime.dispose();
      } catch {
        // already failed to open: nothing to release
      }
    }
  }
}
