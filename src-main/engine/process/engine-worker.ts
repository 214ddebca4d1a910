// The engine process's brain, independent of how messages arrive (tests drive it in-process):
// runs denoise-file and preview tasks one at a time, reports tile progress, honours cancel.
import type { ApiError } from '../../../src-shared/contract-core.js';
import { EngineError, engineErrorToApi } from '../engine-error.js';
import { denoiseFile } from '../jobs/denoise-file.js';
import { ModelCache } from '../jobs/model-cache.js';
import { PreviewRenderer } from '../jobs/preview.js';
import { ModelRegistry } from '../models/registry.js';
import { ToEngine, type FromEngine } from './protocol.js';

function toApiError(error: unknown): ApiError {
  if (error instanceof EngineError) return engineErrorToApi(error);
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

export class EngineWorker {
  private models?: ModelCache;
  private previews?: PreviewRenderer;
  private readonly running = new Map<number, AbortController>();

  constructor(private readonly post: (message: FromEngine) => void) {}

  async handle(raw: unknown): Promise<void> {
    const parsed = ToEngine.safeParse(raw);
    if (!parsed.success) return; // not ours, or malformed: ignore rather than crash the engine
    const message = parsed.data;
    switch (message.type) {
      case 'init':
        this.models = new ModelCache(new ModelRegistry({ shippedDir: message.init.shippedDir, userDir: message.init.userDir }));
        this.previews = new PreviewRenderer(this.models);
        this.post({ type: 'ready' });
        return;
      case 'cancel':
        this.running.get(message.taskId)?.abort();
        return;
      case 'crash-for-test':
        process.exit(70);
        return;
      case 'denoise-file':
      case 'preview':
        await this.run(message);
    }
  }

  private async run(message: Extract<ToEngine, { type: 'denoise-file' | 'preview' }>): Promise<void> {
    const { taskId } = message;
    const controller = new AbortController();
    this.running.set(taskId, controller);
    try {
      if (!this.models || !this.previews) throw new EngineError('internal', 'The engine was not initialised');
      let value: unknown;
      if (message.type === 'preview') {
        value = await this.previews.render(message.view, message.job, controller.signal);
      } else {
        value = await denoiseFile(message.path, this.models, message.job, {
          signal: controller.signal,
          onTiles: (done, total) => this.post({ type: 'tiles', taskId, done, total }),
        });
      }
      this.post({ type: 'result', taskId, ok: true, value });
    } catch (error) {
      this.post({ type: 'result', taskId, ok: false, error: toApiError(error) });
    } finally {
      this.running.delete(taskId);
    }
  }

  dispose(): Promise<void> {
    return this.models?.dispose() ?? Promise.resolve();
  }
}
