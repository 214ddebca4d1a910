// The model catalog: shipped models (assets/models/<id>/, read-only) and user models
// (<data dir>/models/<id>/) as plain folders. Lists, validates (card.json and which files are
// there), resolves ids, picks the default, imports and deletes — with fs and JSON only, so the main
// process can answer Models requests without loading a network. Opening a model to run it is the
// engine's job (registry.ts extends this class). The folders are given by whoever builds it.
import { cp, readdir, rename, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EngineError } from './engine-error.js';
import { int8PassesGuard, type ModelCard, type ModelSummary } from '../../../src-shared/schemas/models.js';
import { isCameraNoise } from '../../../src-shared/schemas/train.js';
import {
  CARD_JSON,
  checkModelFile,
  checkOnnxInterface,
  maxNetworkBytes,
  MODEL_INT8_ONNX,
  MODEL_JSON,
  MODEL_ONNX,
  RUN_CHECKPOINTS,
  readCard,
  WEIGHTS_BIN,
} from './model-files.js';

export interface ModelRegistryDirs {
  shippedDir: string;
  userDir: string;
}

/** The one rule telling a model folder from a model id: a ref with a path separator is a folder. */
export function isModelFolderRef(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\');
}

/** A CLI `--model` value: a folder (a path, or a folder here holding card.json) as an absolute path, else an id. */
export function modelRefFromArg(value: string): string {
  return isModelFolderRef(value) || existsSync(join(value, CARD_JSON)) ? resolve(value) : value;
}

export interface ModelProblem {
  folder: string;
  reason: string;
}

async function folderSize(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(join(dir, entry.name))).size;
  }
  return total;
}

/** Validates one model folder into a summary; throws an Error naming the folder and the reason. */
export async function describeModelFolder(folder: string, source: ModelSummary['source']): Promise<ModelSummary> {
  const card = await readCard(folder);
  // Every network file is a regular file inside the folder, of a size this network can have.
  const maxBytes = maxNetworkBytes(card);
  const files = await Promise.all(
    [MODEL_ONNX, MODEL_JSON, WEIGHTS_BIN, MODEL_INT8_ONNX].map((name) => checkModelFile(folder, name, maxBytes)),
  );
  const [onnx, layers, , int8] = files;
  // An ONNX file is listed only when it is whole and takes and gives what the card says.
  if (onnx) await checkOnnxInterface(folder, MODEL_ONNX, onnx, card);
  if (int8) await checkOnnxInterface(folder, MODEL_INT8_ONNX, int8, card);
  const hasOnnx = onnx !== undefined;
  if (!hasOnnx && layers === undefined)
    throw new Error(`${folder}: neither ${MODEL_ONNX} nor ${MODEL_JSON} is present`);
  return { card, source, folder, sizeBytes: await folderSize(folder), hasOnnx };
}

/** Trained on (simulated) real camera noise: such a model is the better default for people's photos. */
export function trainedForCameraNoise(card: ModelCard): boolean {
  return card.trainingNoise.type === 'pairs' || isCameraNoise(card.trainingNoise);
}

/**
 * The folder's int8 model file when it may run: card.quantized passes the quality guard and the
 * file is there. Undefined otherwise (the float model runs).
 */
export function usableInt8Model(summary: Pick<ModelSummary, 'card' | 'folder'>): string | undefined {
  const q = summary.card.quantized;
  if (!q || !int8PassesGuard(q)) return undefined;
  const file = join(summary.folder, q.file);
  return existsSync(file) ? file : undefined;
}

/** The mean PSNR a card reports at σ 25 (the usual yardstick), to rank candidate defaults. */
function headlinePsnr(card: ModelCard): number {
  const at25 = card.metrics.filter((m) => m.sigma === 25);
  return at25.length ? at25.reduce((s, m) => s + m.psnr, 0) / at25.length : -Infinity;
}

export class ModelCatalog {
  constructor(readonly dirs: ModelRegistryDirs) {}

  /** Every model folder in both places: valid ones as summaries, broken ones as problems. */
  async scan(): Promise<{ models: ModelSummary[]; problems: ModelProblem[] }> {
    const models: ModelSummary[] = [];
    const problems: ModelProblem[] = [];
    for (const [dir, source] of [
      [this.dirs.shippedDir, 'shipped'],
      [this.dirs.userDir, 'user'],
    ] as const) {
      let entries: string[];
      try {
        // Symlinked model folders count too (stat follows the link).
        const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
        entries = [];
        for (const name of names)
          if ((await stat(join(dir, name)).catch(() => undefined))?.isDirectory()) entries.push(name);
      } catch {
        continue; // no such folder yet: no models there
      }
      for (const name of entries) {
        const folder = join(dir, name);
        try {
          const summary = await describeModelFolder(folder, source);
          if (models.some((m) => m.card.id === summary.card.id))
            throw new Error(`${folder}: id "${summary.card.id}" is already used by another model`);
          models.push(summary);
        } catch (error) {
          problems.push({ folder, reason: (error as Error).message });
        }
      }
    }
    return { models, problems };
  }

  async list(): Promise<ModelSummary[]> {
    return (await this.scan()).models;
  }

  async find(id: string): Promise<ModelSummary> {
    const { models, problems } = await this.scan();
    const found = models.find((m) => m.card.id === id);
    if (found) return found;
    const broken = problems.find((p) => p.folder.endsWith(`/${id}`) || p.folder.endsWith(`\\${id}`));
    if (broken) throw new EngineError('unsupported', `Model "${id}" is unusable: ${broken.reason}`, id);
    throw new EngineError(
      'not-found',
      `There is no model "${id}" (have: ${models.map((m) => m.card.id).join(', ') || 'none'})`,
      id,
    );
  }

  /**
   * A model by id, or by folder path (CLI `--model PATH`); undefined → the default for `channels`.
   * Only a ref with a path separator is a folder: a bare name is an id, looked up among the models
   * and never as a folder of the working directory (see modelRefFromArg for the CLI's bare names).
   */
  async resolve(ref: string | undefined, channels: 1 | 3): Promise<ModelSummary> {
    if (ref === undefined) return this.defaultFor(channels);
    if (isModelFolderRef(ref)) {
      try {
        return await describeModelFolder(resolve(ref), 'user');
      } catch (error) {
        throw new EngineError('unsupported', `Model folder ${ref} is unusable: ${(error as Error).message}`, ref);
      }
    }
    return this.find(ref);
  }

  /**
   * The default model for an image with `channels` channels: a model of that channel count (shipped
   * first, then one trained for real camera noise, then the best PSNR its card reports at σ 25); else
   * any model (grey runs per channel).
   */
  async defaultFor(channels: 1 | 3): Promise<ModelSummary> {
    const models = await this.list();
    const rank = (m: ModelSummary): number[] => [
      m.card.channels === channels ? 0 : 1,
      m.source === 'shipped' ? 0 : 1,
      trainedForCameraNoise(m.card) ? 0 : 1,
      -headlinePsnr(m.card),
    ];
    const sorted = [...models].sort((a, b) => {
      const ra = rank(a);
      const rb = rank(b);
      for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
      return a.card.id.localeCompare(b.card.id);
    });
    if (!sorted[0])
      throw new EngineError(
        'not-found',
        `No models are installed (looked in ${this.dirs.shippedDir} and ${this.dirs.userDir})`,
      );
    return sorted[0];
  }

  /** The model the user chose as the default for `channels`; fails when it is missing or made for the other channel count. */
  async preferredDefault(id: string, channels: 1 | 3): Promise<ModelSummary> {
    const summary = await this.find(id);
    if (summary.card.channels !== channels) {
      const kind = (c: 1 | 3): string => (c === 1 ? 'greyscale' : 'colour');
      throw new EngineError(
        'unsupported',
        `Model "${id}" is for ${kind(summary.card.channels)} photos and cannot be the default for ${kind(channels)} photos`,
        id,
      );
    }
    return summary;
  }

  /**
   * Opens `ref`; without one, the user's `preferredDefault` for `channels` ('' → the automatic

  /**
   * Copies a model folder into the user's models. A training run's folder is one too (the trainer
   * keeps its best model there); its checkpoints/ stay behind, they are for resuming the run.
   */
  async importFolder(folder: string): Promise<ModelSummary> {
    const source = resolve(folder);
    let summary: ModelSummary;
    try {
      summary = await describeModelFolder(source, 'user');
    } catch (error) {
      if (!existsSync(join(source, CARD_JSON)) && existsSync(join(source, RUN_CHECKPOINTS))) {
        throw new EngineError(
          'unsupported',
          `${folder} is a training run without a model yet: resume it, and it keeps its best model there from its first validation on`,
          folder,
        );
      }
      // The reasons name the folder or the file already; said once.
      const reason = (error as Error).message.replace(`${source}: `, '');
      throw new EngineError('unsupported', `Cannot import ${folder}: ${reason}`, folder);
    }
    const existing = (await this.list()).find((m) => m.card.id === summary.card.id);
    if (existing)
      throw new EngineError(
        'busy',
        `A model with id "${summary.card.id}" is already installed (${existing.folder})`,
        summary.card.id,
      );
    const target = join(this.dirs.userDir, summary.card.id);
    const staging = `${target}.importing-${process.pid}`;
    try {
      await cp(source, staging, {
        recursive: true,
        errorOnExist: true,
        filter: (from) => from !== join(source, RUN_CHECKPOINTS),
      });
      await describeModelFolder(staging, 'user');
      await rename(staging, target);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw new EngineError('io', `Cannot import ${folder}: ${(error as Error).message}`, folder);
    }
    return describeModelFolder(target, 'user');
  }

  async delete(id: string): Promise<void> {
    const summary = await this.find(id);
    if (summary.source !== 'user')
      throw new EngineError('forbidden', `Model "${id}" ships with Clearframe and cannot be deleted`, id);
    await rm(summary.folder, { recursive: true, force: true });
  }
}
