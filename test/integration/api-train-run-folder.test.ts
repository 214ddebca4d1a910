// A run started without an output folder trains in Clearframe's runs folder (<data folder>/runs/<model
// id>), not among the user's photos; a second run of that name gets a fresh folder; the answer names
// the folder, so Resume finds the same run; and the run's model can be saved from there. The engine's
// TrainRuns with a stand-in trainer in this process: what is tested is the api's choice of folder.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, type ApiServices } from '../../src-main/api/index.js';
import { dispatch } from '../../src-main/api/dispatch.js';
import { trainHandlers } from '../../src-main/api/train.js';
import { TrainRuns } from '../../src-main/engine/train/train-runs.js';
import { TrainStartRequest } from '../../src-shared/schemas/train.js';
import { browserHostServices } from '../helpers/api-services.js';
import { inProcessTraining } from '../helpers/in-process-training.js';
import { testCard, writeRandomModelFolder } from '../helpers/model-fixtures.js';

let root: string;
let services: ApiServices;
const photos = () => join(root, 'photos');
const runsDir = () => join(root, 'data', 'runs');

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-run-folder-'));
  await mkdir(photos());
  await writeFile(join(photos(), 'a.png'), 'not needed: the trainer is a stand-in');
  services = await browserHostServices(root, [photos()]);
});

afterAll(async () => {
  await services.engine?.client.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('train:start without an output folder', () => {
  it('trains in the runs folder of the data folder, a fresh one per run, and its model can be saved from there', async () => {
    const outs: string[] = [];
    // The stand-in "trains" by writing a model folder where the run was told to, as the trainer does.
    const runs = new TrainRuns(async (config) => {
      outs.push(config.out);
      await writeRandomModelFolder(config.out, testCard({ id: config.modelId ?? 'model' }));
      return { phase: 'done', step: 0, epoch: 0, skipped: [] };
    });
    const handlers = trainHandlers(services, inProcessTraining(runs));
    const request = TrainStartRequest.parse({ data: photos(), modelId: 'my-photos', modelName: 'My photos' });
    const first = await handlers['train:start'](request, { emit: () => {} });
    expect(first.out).toBe(join(runsDir(), 'my-photos'));
    await runs.stop(first.runId); // waits for the stand-in to finish
    const second = await handlers['train:start'](request, { emit: () => {} });
    expect(second.out).toBe(join(runsDir(), 'my-photos-2'));
    expect(outs).toEqual([first.out, second.out]);
    expect(await readdir(photos())).toEqual(['a.png']);

    // Saved from the runs folder, in this session and in a later one (a fresh access policy).
    const later = await browserHostServices(root, [photos()]);
    try {
      const saved = await dispatch(createHandlers(later), 'models:import', { folder: first.out }, { emit: () => {} });
      expect(saved).toMatchObject({ ok: true, value: { card: { id: 'my-photos' }, source: 'user' } });
    } finally {
      await later.engine?.client.dispose();
    }
  });
});
