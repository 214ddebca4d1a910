// A training run never writes over a folder that holds something else (an exported model, photos):
// only a new or empty folder, or the run's own folder with its checkpoints, is accepted — through
// the trainer, the CLI and train:start — and the refusal proposes a fresh folder name.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AllowedFolders } from '../../../src-main/access/allowed-folders.js';
import type { ApiServices } from '../../../src-main/api/services.js';
import { inProcessTraining } from '../../helpers/in-process-training.js';
import { trainHandlers } from '../../../src-main/api/train.js';
import { trainCommand } from '../../../src-main/cli/train.js';
import {
  assertTrainOutFolder,
  freshFolderName,
  inspectTrainOutFolder,
} from '../../../src-main/engine/contract/out-folder.js';
import { TrainRuns } from '../../../src-main/engine/train/train-runs.js';
import { runTraining } from '../../../src-main/engine/train/trainer.js';
import { Settings } from '../../../src-shared/schemas/settings.js';
import { TrainConfig } from '../../../src-shared/schemas/train.js';

let root: string;
let model: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-train-out-'));
  model = join(root, 'my-model');
  await mkdir(model);
  await writeFile(join(model, 'model.json'), '{"precious":true}');
  await writeFile(join(model, 'card.json'), '{}');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('training output folder', () => {
  it('accepts a new folder, an empty one, and a run folder with checkpoints', async () => {
    await expect(inspectTrainOutFolder(join(root, 'new'))).resolves.toEqual({ kind: 'absent' });
    await mkdir(join(root, 'empty'));
    await expect(assertTrainOutFolder(join(root, 'empty'))).resolves.toBeUndefined();
    await mkdir(join(model, 'checkpoints'));
    await writeFile(join(model, 'checkpoints', 'latest.json'), '{"checkpoint":"ckpt-00000010","step":10}');
    await expect(inspectTrainOutFolder(model)).resolves.toEqual({ kind: 'run' });
  });

  it('refuses a folder holding a model and proposes the first free "name-N"', async () => {
    const refusal = await assertTrainOutFolder(model).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'forbidden', subject: model });
    expect((refusal as Error).message).toContain('card.json, model.json');
    expect((refusal as Error).message).toContain(join(root, 'my-model-2'));
    await mkdir(join(root, 'my-model-2'));
    expect(await freshFolderName(model)).toBe(join(root, 'my-model-3'));
    expect(await freshFolderName(join(root, 'my-model-2'))).toBe(join(root, 'my-model-3'));
  });

  it('runTraining refuses before loading or writing anything', async () => {
    const config = TrainConfig.parse({ data: join(root, 'no-such-data'), out: model, epochs: 1, stepsPerEpoch: 1 });
    await expect(runTraining(config, { runId: 'x' })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('my-model-2'),
    });
    expect((await readdir(model)).sort()).toEqual(['card.json', 'model.json']);
    expect(await readFile(join(model, 'model.json'), 'utf8')).toBe('{"precious":true}');
  });

  it('`clearframe train --out` on a model folder fails with the reason', async () => {
    await expect(
      trainCommand(['--data', join(root, 'no-such-data'), '--out', model, '--epochs', '1']),
    ).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/would overwrite.*my-model-2/),
    });
    expect((await readdir(model)).sort()).toEqual(['card.json', 'model.json']);
  });

  it('train:start answers the refusal itself and starts no run', async () => {
    let started = 0;
    const runs = new TrainRuns(async () => {
      started++;
      return { phase: 'done', step: 0, epoch: 0, skipped: [] };
    });
    const access = new AllowedFolders();
    await access.allow(root);
    const services = { access, settings: { get: () => Settings.parse({}) } } as unknown as ApiServices;
    // The engine's TrainRuns, in this process: what is tested is the api's refusal, not the process hop.
    const handlers = trainHandlers(services, inProcessTraining(runs));
    const context = { emit: () => {} };
    await mkdir(join(root, 'data'));
    const request = TrainConfig.omit({ command: true }).parse({ data: join(root, 'data'), out: model });
    await expect(handlers['train:start'](request, context)).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining(join(root, 'my-model-2')),
    });
    expect(started).toBe(0);
    await expect(
      handlers['train:start']({ ...request, out: join(root, 'my-model-2') }, context),
    ).resolves.toHaveProperty('runId');
    expect(started).toBe(1);
  });
});
