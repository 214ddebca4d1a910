// Denoising batches: what to run (the draft), the job in flight with per-file progress, and the
// outcome (failures with their reasons, outputs). Progress comes from job:* events.
import type { ApiError } from '../../src-shared/contract.js';
import type {
  DenoiseQuality,
  IfCopyExists,
  JobDone,
  JobFileDone,
  JobProgress,
  NoiseLevel,
  OutputFormatChoice,
} from '../../src-shared/schemas/denoise.js';
import { outputPatternForFolder } from '../../src-shared/schemas/output-pattern.js';
import { batchSummary, batchTitle } from '../../src-shared/long-work.js';
import { invoke, on } from '../lib/api.js';
import { parentFolder } from '../lib/paths.js';
import { library } from './library.svelte.js';
import { notifications } from './notifications.svelte.js';

export type FileState = 'waiting' | 'running' | 'done' | 'skipped' | 'failed' | 'cancelled';

export interface FileRow {
  path: string;
  state: FileState;
  /** 0..1 within the file (tiles done). */
  progress: number;
  /** Written now, or (skipped) the denoised copy that was already there. */
  outputPath?: string | undefined;
  error?: ApiError;
  warning?: string | undefined;
  seconds?: number;
}

export interface BatchOptions {
  modelId: string;
  strength: number;
  noiseLevel: NoiseLevel;
  quality: DenoiseQuality;
  outputFormat: OutputFormatChoice;
  folderPattern: string;
  ifCopyExists: IfCopyExists;
}

class JobsStore {
  jobId = $state<string | null>(null);
  rows = $state<FileRow[]>([]);
  running = $state(false);
  cancelling = $state(false);
  megapixelsPerSecond = $state(0);
  /** 0..1 of the batch's pixels (the host weighs each photo by its size). */
  overall = $state(0);
  /** What the current batch was started with, for "Requeue cancelled/failed". */
  options = $state.raw<BatchOptions | null>(null);
  etaSeconds = $state<number | undefined>(undefined);
  startedAt = $state(0);
  summary = $state<JobDone | null>(null);
  error = $state<ApiError | null>(null);
  errorAction = $state('start the batch');
  private index = new Map<string, number>();

  finished = $derived(
    this.rows.filter((r) => r.state === 'done' || r.state === 'skipped' || r.state === 'failed').length,
  );
  failed = $derived(this.rows.filter((r) => r.state === 'failed'));
  /** Photos a new batch could take up again: failed, or never finished because of Cancel. */
  requeueable = $derived(this.rows.filter((r) => r.state === 'failed' || r.state === 'cancelled'));
  current = $derived(this.rows.find((r) => r.state === 'running') ?? null);
  /** Every folder the batch's outputs are in (photos from several folders, a {model} pattern…), in order of first use. */
  outputFolders = $derived([
    ...new Set(this.rows.flatMap((r) => (r.outputPath ? [parentFolder(r.outputPath) ?? r.outputPath] : []))),
  ]);

  constructor() {
    on('job:progress', (p) => this.onProgress(p));
    on('job:file-done', (d) => this.onFileDone(d));
    on('job:done', (d) => this.onDone(d));
  }

  private row(jobId: string, path: string): FileRow | undefined {
    if (jobId !== this.jobId) return undefined;
    const i = this.index.get(path);
    return i === undefined ? undefined : this.rows[i];
  }

  private onProgress(p: JobProgress): void {
    const row = this.row(p.jobId, p.path);
    if (!row) return;
    for (const other of this.rows) if (other.state === 'running' && other !== row) other.state = 'waiting';
    row.state = 'running';
    row.progress = p.tileCount > 0 ? p.tileDone / p.tileCount : 0;
    this.overall = p.fraction;
    this.megapixelsPerSecond = p.megapixelsPerSecond;
    this.etaSeconds = p.etaSeconds;
  }

  private onFileDone(d: JobFileDone): void {
    const row = this.row(d.jobId, d.path);
    if (!row) return;
    row.seconds = d.seconds;
    row.progress = 1;
    row.warning = d.warning;
    if (d.error) {
      row.state = d.error.code === 'cancelled' ? 'cancelled' : 'failed';
      row.error = d.error;
      library.setStatus([d.path], row.state === 'failed' ? 'failed' : null);
    } else {
      row.state = d.skipped ? 'skipped' : 'done';
      row.outputPath = d.outputPath;
      library.setStatus([d.path], 'denoised');
    }
  }

  private onDone(d: JobDone): void {
    if (d.jobId !== this.jobId) return;
    this.summary = d;
    this.running = false;
    this.cancelling = false;
    if (d.cancelled === 0) this.overall = 1;
    const left = this.rows.filter((r) => r.state === 'waiting' || r.state === 'running');
    for (const r of left) r.state = 'cancelled';
    library.setStatus(
      left.map((r) => r.path),
      null,
    );
    notifications.ended(this.startedAt, batchTitle(d), batchSummary(d));
  }

  /**
   * Sends what the form says; the host fills in the rest (tile size, JPEG quality…) from the settings.
   * Each photo's pixel count from the library goes along so progress and the ETA weigh big photos right.
   */
  async start(files: readonly string[], options: BatchOptions): Promise<boolean> {
    if (files.length === 0) return false;
    this.error = null;
    this.errorAction = 'start the batch';
    const result = await invoke('denoise:start', {
      files: [...files],
      pixels: files.map((path) => {
        const entry = library.byPath.get(path);
        return entry ? entry.width * entry.height : 0;
      }),
      ifCopyExists: options.ifCopyExists,
      modelId: options.modelId || undefined,
      strength: options.strength,
      noiseLevel: options.noiseLevel,
      quality: options.quality,
      outputFormat: options.outputFormat,
      outputPattern: outputPatternForFolder(options.folderPattern),
    });
    if (!result.ok) {
      this.error = result.error;
      return false;
    }
    this.jobId = result.value.jobId;
    this.rows = files.map((path) => ({ path, state: 'waiting', progress: 0 }));
    this.index = new Map(files.map((p, i) => [p, i]));
    this.summary = null;
    this.running = true;
    this.options = options;
    this.overall = 0;
    this.megapixelsPerSecond = 0;
    this.etaSeconds = undefined;
    this.startedAt = Date.now();
    library.setStatus(files, 'queued');
    return true;
  }

  /** A new batch of the failed and cancelled photos, with the options the last one had. */
  async requeue(): Promise<boolean> {
    if (this.running || !this.options) return false;
    return this.start(
      this.requeueable.map((r) => r.path),
      this.options,
    );
  }

  async cancel(): Promise<void> {
    if (!this.jobId || !this.running) return;
    this.cancelling = true;
    const result = await invoke('denoise:cancel', { jobId: this.jobId });
    if (!result.ok) {
      this.errorAction = 'cancel the batch';
      this.error = result.error;
      this.cancelling = false;
    }
  }
}

export const jobs = new JobsStore();
