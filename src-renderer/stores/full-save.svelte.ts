// "Save full image" in Compare: the whole photo denoised with the Compare view's model, strength and
// noise level, and written to disk. It runs as a one-file batch job (denoise:start) rather than as a
// large preview: the job queue already has tile-exact progress, an ETA, a cancel taken at once (the
// tile in flight is dropped), crash recovery, and the batch's writer (same output format and folder, metadata kept,
// never overwriting, atomic, so a cancelled run leaves no file) — so what is saved here is exactly
// what a batch would write, with no second code path to keep in step.
import type { ApiError } from '../../src-shared/contract.js';
import type { JobDone, JobFileDone, JobProgress } from '../../src-shared/schemas/denoise.js';
import { invoke, on } from '../lib/api.js';
import { tileEtaSeconds, type TileMark } from '../lib/tile-eta.js';
import type { SideSettings } from './compare.svelte.js';
import { library } from './library.svelte.js';

export type SaveState = 'idle' | 'running' | 'cancelling' | 'saved' | 'cancelled' | 'failed';

class FullImageSave {
  state = $state<SaveState>('idle');
  /** The photo being (or last) saved, and with which settings. */
  path = $state<string | null>(null);
  settings = $state.raw<SideSettings | null>(null);
  tileDone = $state(0);
  tileCount = $state(0);
  etaSeconds = $state<number | undefined>(undefined);
  outputPath = $state<string | null>(null);
  error = $state<ApiError | null>(null);
  warning = $state<string | null>(null);

  private jobId: string | null = null;
  /** The first tile count seen: the ETA runs from there (the job's own counts decoding time too). */
  private firstTile: TileMark | null = null;

  fraction = $derived(this.tileCount > 0 ? this.tileDone / this.tileCount : 0);

  constructor() {
    on('job:progress', (p) => this.onProgress(p));
    on('job:file-done', (d) => this.onFileDone(d));
    on('job:done', (d) => this.onDone(d));
  }

  /** Forgets a finished run's outcome (another photo is shown). */
  reset(): void {
    if (this.state === 'running' || this.state === 'cancelling') return;
    this.state = 'idle';
    this.outputPath = null;
    this.error = null;
    this.warning = null;
  }

  async start(path: string, settings: SideSettings): Promise<void> {
    if (this.state === 'running' || this.state === 'cancelling') return;
    this.path = path;
    this.settings = settings;
    this.state = 'running';
    this.tileDone = 0;
    this.tileCount = 0;
    this.etaSeconds = undefined;
    this.firstTile = null;
    this.outputPath = null;
    this.error = null;
    this.warning = null;
    // The format, output folder, metadata and tile size come from the settings, as for a batch: a
    // Cancel does not wait for the tile in flight (the engine drops it), so big tiles cost no delay.
    const result = await invoke('denoise:start', {
      files: [path],
      modelId: settings.modelId || undefined,
      strength: settings.strength,
      // Asked for by name: a photo saved before gets another copy beside it, never a silent skip.
      ifCopyExists: 'write-another',
      ...(settings.noiseLevel === undefined ? {} : { noiseLevel: settings.noiseLevel }),
    });
    if (!result.ok) {
      this.state = 'failed';
      this.error = result.error;
      return;
    }
    this.jobId = result.value.jobId;
  }

  async cancel(): Promise<void> {
    if (!this.jobId || this.state !== 'running') return;
    this.state = 'cancelling';
    const result = await invoke('denoise:cancel', { jobId: this.jobId });
    if (!result.ok) {
      this.state = 'running';
      this.error = result.error;
    }
  }

  private onProgress(p: JobProgress): void {
    if (p.jobId !== this.jobId || this.state !== 'running') return;
    this.tileDone = p.tileDone;
    this.tileCount = p.tileCount;
    if (p.tileDone === 0) return;
    const mark = { at: performance.now(), done: p.tileDone };
    this.firstTile ??= mark;
    this.etaSeconds = tileEtaSeconds(this.firstTile, mark, p.tileCount);
  }

  private onFileDone(d: JobFileDone): void {
    if (d.jobId !== this.jobId) return;
    if (d.error) {
      this.state = d.error.code === 'cancelled' ? 'cancelled' : 'failed';
      if (this.state === 'failed') this.error = d.error;
      return;
    }
    this.outputPath = d.outputPath ?? null;
    this.warning = d.warning ?? null;
    this.state = 'saved';
    library.setStatus([d.path], 'denoised');
  }

  private onDone(d: JobDone): void {
    if (d.jobId !== this.jobId) return;
    this.jobId = null;
    if (this.state === 'running' || this.state === 'cancelling') this.state = d.cancelled > 0 ? 'cancelled' : 'failed';
  }
}

export const fullSave = new FullImageSave();
