// Checkpoints that survive crashes: the tensors go to ckpt-<step>.bin and the run's position to
// ckpt-<step>.json, each written to a temp file, fsynced and renamed; only then does latest.json
// (itself renamed into place) point at them. A crash at any moment leaves the previous checkpoint
// intact and pointed to. The two newest checkpoints are kept.
import { open, readdir, readFile, rename, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { EngineError } from './engine-error.js';
import type { TrainConfig } from '../../../src-shared/schemas/train.js';

/** One validation's figures: the model's PSNR and SSIM on the validation crops, and the noisy input's PSNR. */
export interface ValScore {
  psnr: number;
  ssim: number;
  noisyPsnr: number;
}

export interface RunPosition {
  config: TrainConfig;
  step: number;
  epoch: number;
  /** Step within the current epoch. */
  epochStep: number;
  rngPosition: number;
  patchesSeen: number;
  wallTimeSeconds: number;
  bestValPsnr?: number;
  epochsWithoutImprovement: number;
  lastVal?: ValScore;
  /** The starting point's validation (step 0): the score the run's model must not fall below. Absent in checkpoints of older runs. */
  startVal?: ValScore;
  backend: string;
}

interface CheckpointHeader extends RunPosition {
  adamStep: number;
  weightLengths: number[];
  momentLengths: number[];
}

/** Adam's checkpointed state: the step count and both moments, one array per trainable weight. */
export interface AdamState {
  step: number;
  m: Float32Array[];
  v: Float32Array[];
}

/** What a checkpoint holds of a run (train/training-state.ts): every weight, and the Adam state of the trainable ones. */
export interface TrainingState {
  weights: Float32Array[];
  optimizer: AdamState;
}

export interface Checkpoint {
  position: RunPosition;
  state: TrainingState;
}

async function writeAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}

function concat(arrays: Float32Array[]): Uint8Array {
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const out = new Float32Array(total);
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return new Uint8Array(out.buffer);
}

function split(all: Float32Array, lengths: number[], offset: number): { arrays: Float32Array[]; offset: number } {
  const arrays = lengths.map((n) => {
    const a = all.slice(offset, offset + n);
    offset += n;
    return a;
  });
  return { arrays, offset };
}

export async function writeCheckpoint(dir: string, position: RunPosition, state: TrainingState): Promise<void> {
  await mkdir(dir, { recursive: true });
  const base = `ckpt-${String(position.step).padStart(8, '0')}`;
  const header: CheckpointHeader = {
    ...position,
    adamStep: state.optimizer.step,
    weightLengths: state.weights.map((w) => w.length),
    momentLengths: state.optimizer.m.map((m) => m.length),
  };
  await writeAtomic(
    path.join(dir, `${base}.bin`),
    concat([...state.weights, ...state.optimizer.m, ...state.optimizer.v]),
  );
  await writeAtomic(path.join(dir, `${base}.json`), JSON.stringify(header, null, 1));
  await writeAtomic(path.join(dir, 'latest.json'), JSON.stringify({ checkpoint: base, step: position.step }));
  const older = (await readdir(dir))
    .filter((f) => /^ckpt-\d+\.(bin|json)$/.test(f))
    .map((f) => f.replace(/\.(bin|json)$/, ''))
    .filter((b, i, all) => all.indexOf(b) === i && b < base)
    .sort()
    .slice(0, -1); // keep the newest older one too
  await Promise.all(
    older.flatMap((b) => [
      rm(path.join(dir, `${b}.bin`), { force: true }),
      rm(path.join(dir, `${b}.json`), { force: true }),
    ]),
  );
}

/** The checkpoint latest.json points to, or undefined when the folder holds none. */
export async function readLatestCheckpoint(dir: string): Promise<Checkpoint | undefined> {
  let pointer: { checkpoint: string };
  try {
    pointer = JSON.parse(await readFile(path.join(dir, 'latest.json'), 'utf8')) as { checkpoint: string };
  } catch {
    return undefined;
  }
  try {
    const header = JSON.parse(await readFile(path.join(dir, `${pointer.checkpoint}.json`), 'utf8')) as CheckpointHeader;
    const bytes = await readFile(path.join(dir, `${pointer.checkpoint}.bin`));
    const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const weights = split(all, header.weightLengths, 0);
    const m = split(all, header.momentLengths, weights.offset);
    const v = split(all, header.momentLengths, m.offset);
    if (v.offset !== all.length) throw new Error(`holds ${all.length} floats, its header describes ${v.offset}`);
    const { adamStep, weightLengths: _w, momentLengths: _m, ...position } = header;
    return { position, state: { weights: weights.arrays, optimizer: { step: adamStep, m: m.arrays, v: v.arrays } } };
  } catch (error) {
    throw new EngineError(
      'io',
      `Checkpoint ${pointer.checkpoint} in ${dir} is unreadable: ${(error as Error).message}`,
      dir,
    );
  }
}
