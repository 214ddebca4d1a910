// One training run at a time: its progress events become chart series, the latest previews and
// the finished model folder.
import type { ApiError } from '../../src-shared/contract.js';
import type { LibraryOpenResponse } from '../../src-shared/schemas/library.js';
import type { TrainStartInput, TrainEstimateResponse, TrainProgress } from '../../src-shared/schemas/train.js';
import type { TrainPresetId } from '../../src-shared/schemas/train-presets.js';
import { TrainRunWatch } from '../../src-shared/long-work.js';
import { invoke, on } from '../lib/api.js';
import { models } from './models.svelte.js';
import { notifications } from './notifications.svelte.js';

export interface DatasetInfo {
  folder: string;
  usable: number;
  skipped: number;
  smallest: number;
  /** The folder has noisy/ and clean/ subfolders. */
  looksPaired: boolean;
  /** Some image has colour (the form then trains a colour model). */
  colour: boolean;
}

const ACTIVE: ReadonlySet<TrainProgress['phase']> = new Set(['loading', 'training', 'validating', 'exporting']);

class TrainingStore {
  runId = $state<string | null>(null);
  latest = $state.raw<TrainProgress | null>(null);
  /** Columns for uPlot: step, loss. */
  lossSeries = $state.raw<[number[], number[]]>([[], []]);
  /** step, val PSNR, val SSIM, noisy PSNR. */
  valSeries = $state.raw<[number[], number[], number[], (number | null)[]]>([[], [], [], []]);
  /** The latest validation crops (events between validations do not carry them). */
  preview = $state.raw<TrainProgress['preview'] | null>(null);
  error = $state<ApiError | null>(null);
  dataset = $state.raw<DatasetInfo | null>(null);
  datasetError = $state<ApiError | null>(null);
  checking = $state(false);
  lastConfig = $state.raw<TrainStartInput | null>(null);
  /** The preset the last run was started with, so the form keeps it selected; none for a recipe edited by hand. */
  lastPreset = $state<TrainPresetId | undefined>(undefined);

  active = $derived(this.latest !== null && ACTIVE.has(this.latest.phase));
  /** Every run this page sees going (the form's, Your camera's, one running before a reload), for the notification of its end. */
  private readonly watch = new TrainRunWatch();

  constructor() {
    on('train:progress', (p) => {
      this.watched(p);
      this.onProgress(p);
    });
  }

  /** A run seen going counts from then; at its end the page notifies when asked to and the run was long. */
  private watched(p: TrainProgress): void {
    const end = this.watch.observe(p, Date.now());
    if (end) notifications.ended(end.startedMs, end.title, end.body);
  }

  private onProgress(p: TrainProgress): void {
    if (this.runId !== null && p.runId !== this.runId) return;
    this.runId = p.runId;
    this.latest = p;
    if (p.loss !== undefined && (this.lossSeries[0].at(-1) ?? -1) < p.step) {
      this.lossSeries = [
        [...this.lossSeries[0], p.step],
        [...this.lossSeries[1], p.loss],
      ];
    }
    if (p.preview) this.preview = p.preview;
    // Every event repeats the latest validation; a new point is one whose values changed.
    const [lastPsnr, lastSsim] = [this.valSeries[1].at(-1), this.valSeries[2].at(-1)];
    const fresh = p.valPsnr !== lastPsnr || p.valSsim !== lastSsim;
    if (p.valPsnr !== undefined && p.valSsim !== undefined && fresh && (this.valSeries[0].at(-1) ?? -1) < p.step) {
      const [s, psnr, ssim, noisy] = this.valSeries;
      this.valSeries = [
        [...s, p.step],
        [...psnr, p.valPsnr],
        [...ssim, p.valSsim],
        [...noisy, p.valNoisyPsnr ?? null],
      ];
    }
    if (p.phase === 'done') void models.load();
  }

  async start(config: TrainStartInput, preset?: TrainPresetId, resume = false): Promise<boolean> {
    this.error = null;
    const result = await invoke('train:start', resume ? { ...config, resume } : config);
    if (!result.ok) {
      this.error = result.error;
      return false;
    }
    this.began(config, result.value, preset);
    return true;
  }

  /** A run started (by train:start, or Your camera's train:start-camera): new charts unless it continues the last run. */
  began(config: TrainStartInput, started: { runId: string; out: string }, preset?: TrainPresetId): void {
    // A fresh run starts new charts; a resumed one (same output folder) continues them.
    const resuming = this.lastConfig?.out === config.out;
    if (!resuming) {
      this.preview = null;
      this.lossSeries = [[], []];
      this.valSeries = [[], [], [], []];
    }
    this.lastPreset = preset;
    // The folder the run trains in, as the host chose it when the form left it empty: Resume names it.
    this.lastConfig = { ...config, out: started.out };
    this.runId = started.runId;
    this.latest = { runId: started.runId, phase: 'loading', step: this.latest?.step ?? 0, totalSteps: 0, epoch: 0 };
  }

  /**
   * Takes over the engine's running (or last) run: its recipe, progress, charts and previews, so the
   * view shows that run after a reload instead of the form's defaults. Events keep it current.
   */
  async restore(): Promise<void> {
    const result = await invoke('train:current', {});
    if (!result.ok || result.value === null) return;
    const { config, progress, loss, validations, preview } = result.value;
    this.watched(progress);
    if (this.runId !== null && this.runId !== progress.runId && this.active) return;
    this.runId = progress.runId;
    this.latest = progress;
    this.lastConfig = config;
    this.lossSeries = [loss.map(([s]) => s), loss.map(([, l]) => l)];
    this.valSeries = [
      validations.map((v) => v[0]),
      validations.map((v) => v[1]),
      validations.map((v) => v[2]),
      validations.map((v) => v[3]),
    ];
    this.preview = preview ?? null;
  }

  /** How long the recipe takes here, measured by the engine; null (with the error shown) when it cannot. */
  async estimate(config: TrainStartInput): Promise<TrainEstimateResponse | null> {
    const result = await invoke('train:estimate', config);
    if (result.ok) return result.value;
    this.error = result.error;
    return null;
  }

  async stop(): Promise<void> {
    if (!this.runId) return;
    const result = await invoke('train:stop', { runId: this.runId });
    if (result.ok) this.latest = result.value;
    else this.error = result.error;
  }

  /** Continues the last run: the same recipe, from the checkpoint in its output folder. */
  async resume(): Promise<void> {
    if (this.lastConfig) await this.start(this.lastConfig, this.lastPreset, true);
  }

  /** Counts the usable images of a dataset folder (recursively) with the library's own scan. */
  async checkDataset(folder: string): Promise<void> {
    this.checking = true;
    this.datasetError = null;
    const result = await invoke('library:open', { folder, recursive: true });
    this.checking = false;
    if (!result.ok) {
      this.dataset = null;
      this.datasetError = result.error;
      return;
    }
    this.dataset = summarise(result.value);
  }
}

function summarise(listing: LibraryOpenResponse): DatasetInfo {
  const tops = new Set(listing.images.map((i) => i.relativePath.split(/[\\/]/)[0]?.toLowerCase()));
  return {
    folder: listing.folder,
    usable: listing.images.length,
    skipped: listing.skipped.length,
    smallest: listing.images.reduce((min, i) => Math.min(min, i.width, i.height), Infinity),
    looksPaired: tops.has('noisy') && tops.has('clean'),
    colour: listing.images.some((i) => i.channels >= 3),
  };
}

export const training = new TrainingStore();
