// "Save full image" in Compare: the whole photo denoised with the Compare view's model, strength and
// noise level, and written to disk. It runs as a one-file batch job (denoise:start) rather than as a
// large preview: the job queue already has tile-exact progress, an ETA, a cancel that stops between
// tiles, crash recovery, and the batch's writer (same output format and folder, metadata kept,
// never overwriting, atomic, so a cancelled run leaves no file) — so what is saved here is exactly
// what a batch would write, with no second code path to keep in step.
import type { ApiError } from '../../src-shared/contract.js';
import type { JobDone, JobFileDone, JobProgress } from '../../src-shared/schemas/denoise.js';
import { invoke, on } from '../lib/api.js';
import { tileEtaSeconds, type TileMark } from '../lib/tile-eta.js';
import type { SideSettings } from './compare.svelte.js';
import { library } from './library.svelte.js';

/**
 * Network tiles of 256 px (a 192-px core inside 32 px of context each side): the engine checks for
 * Cancel between tiles, and one takes about 0.2 s on this 2-core machine when idle (scaled from the
 * 0.45 s measured for a 384-px one), so Cancel stops within a second even when the machine is busy
 * (measured at a load average of 14: 1.3–2.0 s with these, 2.6 s with 384-px tiles). The price: the
 * network sees (256/192)² ≈ 1.8× the photo's pixels, against 1.3× with the batch's 512-px tiles
 * (about 1.6 s each when idle).
 */
const SAVE_TILE_SIZE = 256;

export type SaveState = 'idle' | 'running' | 'cancelling' | 'saved' | 'cancelled' | 'failed';

class FullImageSave {
  state = $state<SaveState>('idle');
  /** The photo being (or last) saved. */
  path = $state<string | null>(null);
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
    this.state = 'running';
    this.tileDone = 0;
    this.tileCount = 0;
    this.etaSeconds = undefined;
    this.firstTile = null;
    this.outputPath = null;
    this.error = null;
    this.warning = null;
    // The format, output folder and metadata come from the settings, as for a batch.
    const result = await invoke('denoise:start', {
      files: [path],
      modelId: settings.modelId || undefined,
      strength: settings.strength,
      tileSize: SAVE_TILE_SIZE,
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
