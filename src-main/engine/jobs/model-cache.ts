// Opened models, kept between files of a batch (opening costs an ONNX session and a probe run).
// Keyed by the requested model, the image's channel count and, when no model is requested, the
// user's default for that channel count: "default" depends on all three.
import type { DefaultModels } from '../../../src-shared/schemas/models.js';
import type { EngineChoice } from '../../../src-shared/schemas/settings.js';
import { openOptionsFromSettings, type LoadedModel, type ModelRegistry } from '../models/registry.js';

export interface CachedModel {
  model: LoadedModel;
  /** Why the requested model was replaced by the default, when it was. */
  warning?: string;
}

export class ModelCache {
  private readonly entries = new Map<string, Promise<CachedModel>>();

  constructor(readonly registry: ModelRegistry) {}

  /**
   * The model for `ref`; without one, the user's default for `channels` from `defaults` (absent →
   * automatic), opened with Settings → Engine's `engine` choice (absent → the registry's own).
   */
  get(ref: string | undefined, channels: 1 | 3, defaults?: DefaultModels, engine?: EngineChoice): Promise<CachedModel> {
    const preferred = ref === undefined ? ((channels === 1 ? defaults?.grey : defaults?.colour) ?? '') : '';
    const key = JSON.stringify([ref ?? null, channels, preferred, engine ?? null]);
    let entry = this.entries.get(key);
    if (!entry) {
      const open = engine ? openOptionsFromSettings(engine, this.registry.openOptions.precision) : undefined;
      entry = this.registry.openWithFallback(ref, channels, preferred, open).then(({ model, fallbackFrom, reason }) => {
        if (!reason) return { model };
        const requested =
          ref === undefined
            ? `The default ${channels === 1 ? 'greyscale' : 'colour'} model set in Settings ("${fallbackFrom}")`
            : `Model "${ref}"`;
        return { model, warning: `${requested} could not be used, ${model.card.id} ran instead: ${reason}` };
      });
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
