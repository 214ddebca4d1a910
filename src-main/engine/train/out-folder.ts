// Which folders a training run may write into. A run writes model.json, weights.bin, model.onnx,
// card.json and checkpoints/ into its output folder, replacing files of those names: pointed at a
// folder that already holds a model (or anything else), it would silently destroy it. So a run
// starts only in a folder that does not exist yet, an empty one, or its own run folder (one with
// checkpoints/latest.json, which the trainer resumes from). Anything else is refused with a
// fresh name the user can take instead.
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EngineError } from '../engine-error.js';

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
 * Throws EngineError 'forbidden' unless a training run may write into `out`; the message names
 * what is there and proposes a fresh folder.
 */
export async function assertTrainOutFolder(out: string): Promise<void> {
  const state = await inspectTrainOutFolder(out);
  if (state.kind === 'absent' || state.kind === 'empty' || state.kind === 'run') return;
  const fresh = await freshFolderName(out);
  if (state.kind === 'not-a-folder') {
    throw new EngineError('forbidden', `${out} is a file, not a folder; save the run in a new folder such as ${fresh}`, out);
  }
  const shown = state.entries.slice(0, 3).join(', ') + (state.entries.length > 3 ? `, … (${state.entries.length} entries)` : '');
  throw new EngineError(
    'forbidden',
    `${out} already holds files (${shown}) that training would overwrite and is not a training run to resume; save the run in a new folder such as ${fresh}`,
    out,
  );
}
