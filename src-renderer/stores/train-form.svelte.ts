// The Train form's recipe as the user edits it: a preset (or their own recipe), the dataset, the
// noise, the model it starts from and the run's length, with the contract's messages for what is
// wrong and the time a measurement gives. The recipe itself, the presets and the estimate maths are
// shared with `clearframe train` (src-shared); this store holds only the form's state. One per form:
// the Train view makes a new one from the last run's recipe when that changes.
import { untrack } from 'svelte';
import type { ArchitectureId, ModelSummary } from '../../src-shared/schemas/models.js';
import {
  CAMERA_NOISE_RECIPE,
  DEFAULT_RECIPE,
  isCameraNoise,
  modelIdFromName,
  TrainStartRequest,
  type TrainEstimateResponse,
  type TrainNoise,
  type TrainStartInput,
} from '../../src-shared/schemas/train.js';
import { TRAIN_PRESETS, type TrainPresetId } from '../../src-shared/schemas/train-presets.js';
import { estimatedSeconds, runForBudget } from '../../src-shared/train-estimate.js';
import { FINE_TUNE_LR, startingModels } from '../lib/train-start.js';
import { humanIssue } from '../lib/validate.js';
import type { DatasetInfo } from './training.svelte.js';

/** The noises the form offers: 'camera' stands for the camera recipe (CAMERA_NOISE_RECIPE), the others for themselves. */
export const NOISE_CHOICES = [
  'camera',
  'gaussian',
  'gaussian-range',
  'salt-pepper',
] as const satisfies readonly TrainNoise['type'][];
export type NoiseChoice = (typeof NOISE_CHOICES)[number];

/** Fields under Advanced: an error in one opens it. */
const ADVANCED = new Set(['arch', 'patch', 'batch', 'epochs', 'stepsPerEpoch', 'lr']);

/** What the form reads from its view as it changes. */
export interface TrainFormInputs {
  dataset: () => DatasetInfo | null;
  /** Installed models (a run may start from one of them). */
  models: () => readonly ModelSummary[];
}

/** The noise choice a recipe was started with; the camera recipe for anything the form does not offer. */
function noiseChoiceOf(noise: TrainNoise | undefined): NoiseChoice {
  if (!noise || isCameraNoise(noise)) return 'camera';
  return noise.type === 'gaussian' || noise.type === 'gaussian-range' || noise.type === 'salt-pepper'
    ? noise.type
    : 'camera';
}

export class TrainFormState {
  readonly #inputs: TrainFormInputs;
  preset = $state<TrainPresetId | 'custom'>('quick');
  data = $state('');
  arch = $state<ArchitectureId>(DEFAULT_RECIPE.arch);
  channels = $state<1 | 3>(DEFAULT_RECIPE.channels);
  /** The model the run starts from by id ('' = a fresh network). */
  from = $state('');
  noiseType = $state<NoiseChoice>('camera');
  sigma = $state(25);
  sigmaMin = $state(5);
  sigmaMax = $state(50);
  density = $state(0.05);
  patch = $state<number>(DEFAULT_RECIPE.patch);
  batch = $state<number>(DEFAULT_RECIPE.batch);
  epochs = $state<number>(DEFAULT_RECIPE.epochs);
  stepsPerEpoch = $state<number>(DEFAULT_RECIPE.stepsPerEpoch);
  lr = $state<number>(DEFAULT_RECIPE.lr);
  name = $state('My model');
  out = $state('');
  /** Submitted once: every error shows from then on. */
  touched = $state(false);
  estimate = $state.raw<TrainEstimateResponse | null>(null);
  estimating = $state(false);
  /** Colour follows the dataset, and the start model the recommendation, until the user picks one. */
  #channelsChosen = false;
  #fromChosen = false;

  // Arrow functions: #inputs is set in the constructor, after these fields are declared.
  readonly candidates = $derived.by(() => startingModels(this.#inputs.models(), this.channels));
  readonly fromModel = $derived(this.candidates.find((m) => m.card.id === this.from));
  readonly estimatedSeconds = $derived(
    this.estimate ? estimatedSeconds(this.estimate, { epochs: this.epochs, stepsPerEpoch: this.stepsPerEpoch }) : null,
  );
  readonly modelId = $derived(modelIdFromName(this.name));
  readonly noise = $derived<TrainNoise>(
    this.noiseType === 'camera'
      ? CAMERA_NOISE_RECIPE
      : this.noiseType === 'gaussian'
        ? { type: this.noiseType, sigma: this.sigma }
        : this.noiseType === 'gaussian-range'
          ? { type: this.noiseType, sigmaMin: this.sigmaMin, sigmaMax: this.sigmaMax }
          : { type: this.noiseType, density: this.density },
  );
  readonly config = $derived.by<TrainStartInput>(() => ({
    data: this.#inputs.dataset()?.folder ?? this.data.trim(),
    arch: this.arch,
    channels: this.channels,
    noise: this.noise,
    patch: this.patch,
    batch: this.batch,
    epochs: this.epochs,
    stepsPerEpoch: this.stepsPerEpoch,
    lr: this.lr,
    // Empty: a new folder in Clearframe's runs folder, not among the photos.
    ...(this.out.trim() ? { out: this.out.trim() } : {}),
    ...(this.fromModel ? { init: this.fromModel.card.id } : {}),
    modelId: this.modelId,
    modelName: this.name.trim(),
  }));
  /** The first message per field: the contract's, then the form's own checks. */
  readonly errors = $derived.by(() => {
    const parsed = TrainStartRequest.safeParse(this.config);
    const found: Record<string, string> = {};
    if (!parsed.success)
      for (const issue of parsed.error.issues)
        found[String(issue.path[issue.path.length - 1] ?? issue.path[0])] ??= humanIssue(issue);
    const dataset = this.#inputs.dataset();
    if (this.noiseType === 'gaussian-range' && this.sigmaMin > this.sigmaMax)
      found.sigmaMax ??= 'The highest σ must be at least the lowest.';
    if (dataset && dataset.smallest < this.patch)
      found.patch ??= `Larger than your smallest image (${dataset.smallest} px).`;
    if (!this.name.trim()) found.modelName = 'Give the model a name.';
    return found;
  });
  readonly advancedError = $derived(Object.keys(this.errors).some((k) => ADVANCED.has(k)));
  readonly valid = $derived.by(() => {
    const dataset = this.#inputs.dataset();
    return Object.keys(this.errors).length === 0 && !!dataset && dataset.usable > 0;
  });

  /**
   * A form showing `start` (the running or last run's recipe, with the preset it was started with)
   * rather than the default recipe and Quick; the start model is found by id among `models`.
   */
  constructor(inputs: TrainFormInputs, start: TrainStartInput | null, startPreset: TrainPresetId | undefined) {
    this.#inputs = inputs;
    if (!start) return;
    this.preset = startPreset ?? 'custom';
    this.#channelsChosen = true;
    this.#fromChosen = true;
    const noise = start.noise;
    this.noiseType = noiseChoiceOf(noise);
    if (noise?.type === 'gaussian') this.sigma = noise.sigma;
    if (noise?.type === 'gaussian-range') ({ sigmaMin: this.sigmaMin, sigmaMax: this.sigmaMax } = noise);
    if (noise?.type === 'salt-pepper') this.density = noise.density;
    this.data = start.data;
    this.arch = start.arch ?? DEFAULT_RECIPE.arch;
    this.channels = start.channels ?? DEFAULT_RECIPE.channels;
    this.from =
      untrack(() => inputs.models()).find(
        (m) => start.init !== undefined && (m.card.id === start.init || m.folder === start.init),
      )?.card.id ?? '';
    this.patch = start.patch ?? DEFAULT_RECIPE.patch;
    this.batch = start.batch ?? DEFAULT_RECIPE.batch;
    this.epochs = start.epochs ?? DEFAULT_RECIPE.epochs;
    this.stepsPerEpoch = start.stepsPerEpoch ?? DEFAULT_RECIPE.stepsPerEpoch;
    this.lr = start.lr ?? DEFAULT_RECIPE.lr;
    this.name = start.modelName ?? 'My model';
    this.out = start.out ?? '';
  }

  /** Measures the recipe with `measure` (train:estimate); a preset then sets the number of steps that fits its time. */
  async measure(measure: (config: TrainStartInput) => Promise<TrainEstimateResponse | null>): Promise<void> {
    if (!this.valid) return;
    this.estimating = true;
    const measured = await measure(this.config);
    this.estimating = false;
    if (!measured) return;
    this.estimate = measured;
    if (this.preset !== 'custom')
      ({ epochs: this.epochs, stepsPerEpoch: this.stepsPerEpoch } = runForBudget(
        measured,
        TRAIN_PRESETS[this.preset].seconds,
      ));
  }

  /** Takes a preset's recipe (a start model keeps its architecture and gentler rate); the old measurement is stale. */
  choose(id: TrainPresetId): void {
    this.preset = id;
    ({ arch: this.arch, patch: this.patch, batch: this.batch, lr: this.lr } = TRAIN_PRESETS[id].recipe);
    this.#applyStartModel();
    this.estimate = null;
  }

  /** The user picked the colour. */
  chooseChannels(): void {
    this.#channelsChosen = true;
  }

  /** Colour unless the dataset is all greyscale, until the user picks one. */
  followDataset(colour: boolean): void {
    if (!this.#channelsChosen) this.channels = colour ? 3 : 1;
  }

  /** The recommended start model ('' = a fresh network), until the user picks one. */
  followRecommended(id: string): void {
    if (!this.#fromChosen) this.startFrom(id);
  }

  /** The user picked the start model. */
  chooseStart(id: string): void {
    this.#fromChosen = true;
    this.startFrom(id);
  }

  /** A start model fixes the architecture and asks for a gentler learning rate; a fresh network takes the preset's. */
  startFrom(id: string): void {
    this.from = id;
    if (!this.#applyStartModel() && this.preset !== 'custom')
      ({ arch: this.arch, lr: this.lr } = TRAIN_PRESETS[this.preset].recipe);
    this.estimate = null;
  }

  /** Any change by hand makes the recipe the user's own. */
  edited(): void {
    this.preset = 'custom';
  }

  /** Sets the start model's architecture and the fine-tuning rate; false when the run starts from a new network. */
  #applyStartModel(): boolean {
    const model = this.fromModel;
    if (!model) return false;
    this.arch = model.card.architecture;
    this.lr = FINE_TUNE_LR;
    return true;
  }
}
