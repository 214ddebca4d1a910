// Denoising batches: what to run (the draft), the job in flight with per-file progress, and the
// outcome (failures with their reasons, outputs). Progress comes from job:* events.
import type { ApiError } from '../../src-shared/contract.js';
import type { DenoiseQuality, JobDone, JobFileDone, JobProgress, NoiseLevel, OutputFormatChoice } from '../../src-shared/schemas/denoise.js';
import { outputPatternForFolder } from '../../src-shared/schemas/output-pattern.js';
import { invoke, on } from '../lib/api.js';
import { library } from './library.svelte.js';

export type FileState = 'waiting' | 'running' | 'done' | 'failed' | 'cancelled';

export interface FileRow {
  path: string;
  state: FileState;
  /** 0..1 within the file (tiles done). */
  progress: number;
  outputPath?: string;
  error?: ApiError;
  warning?: string;
  seconds?: number;
}

export interface BatchOptions {
  modelId: string;
  strength: number;
  noiseLevel: NoiseLevel;
  quality: DenoiseQuality;
  outputFormat: OutputFormatChoice;
  folderPattern: string;
}

function dirname(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut > 0 ? path.slice(0, cut) : path;
}

/** Batches longer than this end with a desktop notification (when allowed). */
const NOTIFY_AFTER_MS = 15_000;

class JobsStore {
  jobId = $state<string | null>(null);
  rows = $state<FileRow[]>([]);
  running = $state(false);
  cancelling = $state(false);
  imagesPerSecond = $state(0);
  etaSeconds = $state<number | undefined>(undefined);
  startedAt = $state(0);
  summary = $state<JobDone | null>(null);
  error = $state<ApiError | null>(null);
  errorAction = $state('start the batch');
  notify = $state(false);

  private index = new Map<string, number>();

  finished = $derived(this.rows.filter((r) => r.state === 'done' || r.state === 'failed').length);
  failed = $derived(this.rows.filter((r) => r.state === 'failed'));
  current = $derived(this.rows.find((r) => r.state === 'running') ?? null);
  /** 0..1 over the whole batch, counting the running file's tiles. */
  overall = $derived(this.rows.length === 0 ? 0 : (this.finished + (this.current?.progress ?? 0)) / this.rows.length);
  outputFolder = $derived.by(() => {
    const done = this.rows.find((r) => r.outputPath);
    return done?.outputPath ? dirname(done.outputPath) : null;
  });

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
    this.imagesPerSecond = p.imagesPerSecond;
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
      row.state = 'done';
      row.outputPath = d.outputPath;
      library.setStatus([d.path], 'denoised');
    }
  }

  private onDone(d: JobDone): void {
    if (d.jobId !== this.jobId) return;
    this.summary = d;
    this.running = false;
    this.cancelling = false;
    const left = this.rows.filter((r) => r.state === 'waiting' || r.state === 'running');
    for (const r of left) r.state = 'cancelled';
    library.setStatus(
      left.map((r) => r.path),
      null,
    );
    if (this.notify && Date.now() - this.startedAt > NOTIFY_AFTER_MS && 'Notification' in window && Notification.permission === 'granted') {
      const body = `${d.succeeded} denoised${d.failed ? `, ${d.failed} failed` : ''}${d.cancelled ? `, ${d.cancelled} cancelled` : ''}.`;
      new Notification('Clearframe: batch finished', { body });
    }
  }

  /** Sends what the form says; the host fills in the rest (tile size, JPEG quality…) from the settings. */
  async start(files: readonly string[], options: BatchOptions): Promise<boolean> {
    if (files.length === 0) return false;
    this.error = null;
    this.errorAction = 'start the batch';
    const result = await invoke('denoise:start', {
      files: [...files],
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
    this.imagesPerSecond = 0;
    this.etaSeconds = undefined;
    this.startedAt = Date.now();
    library.setStatus(files, 'queued');
    return true;
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

  /** Asks for notification permission from a click (browsers refuse it otherwise). */
  async enableNotifications(): Promise<void> {
    if (!('Notification' in window)) return;
    const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
    this.notify = permission === 'granted';
  }
}

export const jobs = new JobsStore();
