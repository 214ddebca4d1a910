// Saving a model that scores below the model it started from asks first: models:import answers
// needs-confirmation saying by how much, and imports it only when the request confirms. Through
// the real dispatcher, api handlers and model catalog.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/api/dispatch.js';
import { createHandlers, type ApiServices } from '../../src-main/api/index.js';
import type { ModelCard } from '../../src-shared/schemas/models.js';
import { browserHostServices } from '../helpers/api-services.js';
import { testCard, writeRandomModelFolder } from '../helpers/model-fixtures.js';

let root: string;
let services: ApiServices;
const runs = () => join(root, 'runs');
const noEvents = { emit: () => {} };

/** A fine-tuned model's card: `psnr` on its validation crops, where its start scored 30 dB. */
function fineTuned(id: string, psnr: number): ModelCard {
  const dataset = 'photos (held out)';
  return testCard({
    id,
    name: id,
    metrics: [{ dataset, sigma: 25, psnr, ssim: 0.8, noisyPsnr: 20 }],
    startedFrom: { id: 'clearframe-grey', name: 'Clearframe-grey', dataset, sigma: 25, psnr: 30, ssim: 0.82 },
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-import-worse-'));
  await writeRandomModelFolder(join(runs(), 'worse'), fineTuned('worse', 29.6));
  await writeRandomModelFolder(join(runs(), 'better'), fineTuned('better', 30.25));
  services = await browserHostServices(root, [runs()]);
});

afterAll(async () => {
  await services.engine?.client.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('models:import of a model worse than its start', () => {
  it('asks first, saying by how much, and imports once confirmed', async () => {
    const handlers = createHandlers(services);
    const asked = await dispatch(handlers, 'models:import', { folder: join(runs(), 'worse') }, noEvents);
    expect(asked).toEqual({ ok: false, error: expect.objectContaining({ code: 'needs-confirmation' }) });
    const message = asked.ok ? '' : asked.error.message;
    expect(message).toContain('0.40 dB below Clearframe-grey (30.00 dB)');
    expect((await services.engine!.registry.list()).map((m) => m.card.id)).not.toContain('worse');

    const confirmed = await dispatch(
      handlers,
      'models:import',
      { folder: join(runs(), 'worse'), acceptWorse: true },
      noEvents,
    );
    expect(confirmed).toMatchObject({ ok: true, value: { card: { id: 'worse' }, source: 'user' } });
  });

  it('imports a model at least as good as its start without asking', async () => {
    const imported = await dispatch(
      createHandlers(services),
      'models:import',
      { folder: join(runs(), 'better') },
      noEvents,
    );
    expect(imported).toMatchObject({ ok: true, value: { card: { id: 'better', startedFrom: { psnr: 30 } } } });
  });
});
