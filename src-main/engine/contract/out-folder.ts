// Which folders a training run (or an export) may write into. A run writes model.json, weights.bin,
// model.onnx, card.json and checkpoints/ into its output folder, replacing files of those names:
// pointed at a folder that already holds a model (or anything else), it would silently destroy it.
// So a run starts only in a folder that does not exist yet or an empty one; it continues a run's
// own folder (one with checkpoints/latest.json) only when asked to resume, and only with the
// recipe that run was started with. An export writes only into a new or empty folder. Anything
// else is refused with a fresh name the user can take instead.
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { TrainConfig } from '../../../src-shared/schemas/train.js';
import { EngineError } from './engine-error.js';
import { readLatestCheckpoint } from './checkpoint.js';

export type TrainOutFolderState =
  | { kind: 'absent' }
  | { kind: 'empty' }
  /** A run's own folder: it holds checkpoints to resume from. */
  | { kind: 'run' }
  | { kind: 'occupied'; entries: string[] }
  | { kind: 'not-a-folder' };

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
}

export async function inspectTrainOutFolder(out: string): Promise<TrainOutFolderState> {
  let entries: string[];
  try {
    entries = await readdir(out);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent' };
    if (code === 'ENOTDIR') return { kind: 'not-a-folder' };
    throw new EngineError('io', `The output folder ${out} cannot be read (${code ?? 'unknown error'}).`, out);
  }
  if (entries.length === 0) return { kind: 'empty' };
  if (await exists(join(out, 'checkpoints', 'latest.json'))) return { kind: 'run' };
  // A run that stopped before its first checkpoint leaves only an (empty or half-written) checkpoints/.
  if (entries.length === 1 && entries[0] === 'checkpoints') return { kind: 'run' };
  return { kind: 'occupied', entries: entries.sort() };
}

/** The first of "name-2", "name-3"… beside `out` that does not exist. */
export async function freshFolderName(out: string): Promise<string> {
  const parent = dirname(out);
  const name = basename(out).replace(/-\d+$/, '');
  for (let n = 2; n < 10_000; n++) {
    const candidate = join(parent, `${name}-${n}`);
    if (!(await exists(candidate))) return candidate;
  }
  throw new EngineError('io', `No free folder name beside ${out}`, out);
}

/**
 * What makes a run the run it is: a resume must keep all of these. The length (epochs), early
 * stopping, checkpoint spacing and the engine that computes the steps may change.
 */
const RECIPE = [
  'data',
  'val',
  'valFraction',
  'arch',
  'channels',
  'patch',
  'batch',
  'stepsPerEpoch',
  'noise',
  'valSigma',
  'lr',
  'lrSchedule',
  'lrStepEpochs',
  'lrStepFactor',
  'loss',
  'weightDecay',
  'seed',
  'valImages',
  'valCrop',
  'init',
  'modelId',
  'modelName',
] as const satisfies ReadonlyArray<keyof TrainConfig>;

/** JSON with object keys sorted, so two equal recipes compare equal however they were built. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** The recipe fields in which `requested` differs from the `saved` run's. */
export function recipeDifferences(saved: TrainConfig, requested: TrainConfig): string[] {
  return RECIPE.filter((key) => canonical(saved[key]) !== canonical(requested[key]));
}

function listed(entries: readonly string[]): string {
  return entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, … (${entries.length} entries)` : '');
}

/**
 * Throws EngineError 'forbidden' unless a training run may write into `out`; the message names
 * what is there and proposes a fresh folder. `resume`: the run's config when it was asked to
 * continue the run in `out` (clearframe train --resume, the Train view's Resume); without it a
 * run folder is refused like any other folder with files in it.
 */
export async function assertTrainOutFolder(out: string, resume?: TrainConfig): Promise<void> {
  const state = await inspectTrainOutFolder(out);
  if (state.kind === 'absent' || state.kind === 'empty') return;
  const checkpoint =
    state.kind === 'run' ? await readLatestCheckpoint(join(out, 'checkpoints')).catch(() => undefined) : undefined;
  // A run stopped before its first checkpoint left nothing to lose, nor to resume.
  if (state.kind === 'run' && checkpoint === undefined && (await readdir(out)).length === 1) return;
  const fresh = await freshFolderName(out);
  if (state.kind === 'not-a-folder') {
    throw new EngineError(
      'forbidden',
      `${out} is a file, not a folder; save the run in a new folder such as ${fresh}`,
      out,
    );
  }
  if (state.kind === 'occupied') {
    throw new EngineError(
      'forbidden',
      `${out} already holds files (${listed(state.entries)}) that training would overwrite and is not a training run to resume; save the run in a new folder such as ${fresh}`,
      out,
    );
  }
  if (checkpoint === undefined) {
    throw new EngineError(
      'forbidden',
      `${out} holds a training run whose checkpoint cannot be read; save the run in a new folder such as ${fresh}`,
      out,
    );
  }
  if (resume === undefined) {
    throw new EngineError(
      'forbidden',
      `${out} holds a training run (step ${checkpoint.position.step}) and its model; continue it with Resume (clearframe train --resume ${out}), or save a new run in a new folder such as ${fresh}`,
      out,
    );
  }
  const differences = recipeDifferences(checkpoint.position.config, resume);
  if (differences.length > 0) {
    throw new EngineError(
      'forbidden',
      `${out} holds a run with another recipe (${differences.join(', ')} differ): resuming it with this one would replace its model; save the run in a new folder such as ${fresh}`,
      out,
    );
  }
}

/**
 * Throws EngineError 'forbidden' unless model files may be written into `out`: only a new or an
 * empty folder, never one that holds a model (or anything else) that they would replace.
 */
export async function assertModelOutFolder(out: string): Promise<void> {
  const state = await inspectTrainOutFolder(out);
  if (state.kind === 'absent' || state.kind === 'empty') return;
  const fresh = await freshFolderName(out);
  const what =
    state.kind === 'not-a-folder'
      ? 'is a file, not a folder'
      : `already holds files (${listed(await readdir(out))}) that the model would replace`;
  throw new EngineError('forbidden', `${out} ${what}; write the model into a new folder such as ${fresh}`, out);
}
