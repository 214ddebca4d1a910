// Requests from the renderer cannot make the engine reach outside the folders the user opened:
// a `denoised/` that is a symbolic link to elsewhere receives no output (and no temp clean-up runs
// there), and a model id that is a folder path — `..` or not — is refused unless that folder lies
// inside an opened folder (the same for the model a training run starts from). Through the real dispatcher, api handlers and engine process.
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type RequestContext } from '../../src-main/api/dispatch.js';
import { createHandlers, type ApiServices } from '../../src-main/api/index.js';
import type { EventName, EventPayload } from '../../src-shared/contract.js';
import type { JobFileDone } from '../../src-shared/schemas/denoise.js';
import { browserHostServices } from '../helpers/api-services.js';
import { greyPhoto } from '../helpers/samples.js';
import { testCard, writeRandomModelFolder } from '../helpers/model-fixtures.js';

let root: string;
let services: ApiServices;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-confine-'));
  await writeRandomModelFolder(join(root, 'shipped', 'grey'), testCard({ id: 'grey' }));
  // A model the user never opened or imported: loading it would run foreign code paths and weights.
  await writeRandomModelFolder(join(root, 'secret-models', 'stranger'), testCard({ id: 'stranger' }));
  for (const folder of ['photos', 'linked', 'elsewhere']) await mkdir(join(root, folder));
  for (const folder of ['photos', 'linked']) {
    await (
      await greyPhoto('06')
    )
      .extract({ left: 0, top: 0, width: 64, height: 48 })
      .png()
      .toFile(join(root, folder, 'a.png'));
  }
  // An orphaned temp file of a dead writer in the foreign folder: clean-up must not touch it there.
  await writeFile(join(root, 'elsewhere', '.a.png.999999999.0123456789ab.clearframe-tmp'), 'not ours to delete');
  await symlink(join(root, 'elsewhere'), join(root, 'linked', 'denoised'));
  services = await browserHostServices(root, [join(root, 'photos'), join(root, 'linked')]);
});

afterAll(async () => {
  await services.engine?.client.dispose();
  await rm(root, { recursive: true, force: true });
});

async function denoise(
  request: Record<string, unknown>,
): Promise<{ started: Awaited<ReturnType<typeof dispatch>>; files: JobFileDone[] }> {
  const files: JobFileDone[] = [];
  let finished!: () => void;
  const done = new Promise<void>((r) => (finished = r));
  const context: RequestContext = {
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      if (event === 'job:file-done') files.push(payload as JobFileDone);
      if (event === 'job:done') finished();
    },
  };
  const started = await dispatch(createHandlers(services), 'denoise:start', request, context);
  if (started.ok) await done;
  return { started, files };
}

describe('outputs stay inside the opened folders', () => {
  it('a denoised/ linked to a folder outside gets no output and no clean-up; the file fails with the reason', async () => {
    const { started, files } = await denoise({ files: [join(root, 'linked', 'a.png')] });
    expect(started.ok).toBe(true);
    expect(files).toHaveLength(1);
    expect(files[0]!.error).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('outside the folders you opened'),
    });
    expect(await readdir(join(root, 'elsewhere'))).toEqual(['.a.png.999999999.0123456789ab.clearframe-tmp']);
  });

  it('an ordinary denoised/ folder still works', async () => {
    const { files } = await denoise({ files: [join(root, 'photos', 'a.png')] });
    expect(files[0]).toMatchObject({ outputPath: join(root, 'photos', 'denoised', 'a.png') });
  });
});

describe('a model id that is a path', () => {
  it.each([
    ['a folder outside the opened folders', () => join(root, 'secret-models', 'stranger')],
    ['a path climbing out with ..', () => join(root, 'photos', '..', 'secret-models', 'stranger')],
    ['a relative path', () => 'secret-models/stranger'],
  ])('denoise:start and denoise:preview refuse %s', async (_, ref) => {
    const { started } = await denoise({ files: [join(root, 'photos', 'a.png')], modelId: ref() });
    expect(started).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
    const preview = await dispatch(
      createHandlers(services),
      'denoise:preview',
      { path: join(root, 'photos', 'a.png'), modelId: ref(), maxSide: 32 },
      { emit: () => {} },
    );
    expect(preview).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
  });

  it('a model folder inside an opened folder, and a registered id, are accepted', async () => {
    await writeRandomModelFolder(join(root, 'photos', 'my-model'), testCard({ id: 'mine' }));
    const byFolder = await dispatch(
      createHandlers(services),
      'denoise:preview',
      { path: join(root, 'photos', 'a.png'), modelId: join(root, 'photos', 'my-model'), maxSide: 32 },
      { emit: () => {} },
    );
    expect(byFolder).toMatchObject({ ok: true, value: { modelId: 'mine' } });
    const byId = await dispatch(
      createHandlers(services),
      'denoise:preview',
      { path: join(root, 'photos', 'a.png'), modelId: 'grey', maxSide: 32 },
      { emit: () => {} },
    );
    expect(byId).toMatchObject({ ok: true, value: { modelId: 'grey' } });
  });

  it.each(['train:start', 'train:estimate'] as const)(
    '%s refuses to start from a model folder the user never opened',
    async (channel) => {
      for (const init of [
        join(root, 'secret-models', 'stranger'),
        join(root, 'photos', '..', 'secret-models', 'stranger'),
        'secret-models/stranger',
      ]) {
        const answer = await dispatch(
          createHandlers(services),
          channel,
          { data: join(root, 'photos'), out: join(root, 'photos', 'run'), init },
          { emit: () => {} },
        );
        expect(answer).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
      }
      const unknown = await dispatch(
        createHandlers(services),
        channel,
        { data: join(root, 'photos'), out: join(root, 'photos', 'run'), init: 'no-such-model' },
        { emit: () => {} },
      );
      expect(unknown).toEqual({ ok: false, error: expect.objectContaining({ code: 'not-found' }) });
    },
  );

  it('settings refuse a default model that is a path', async () => {
    const set = await dispatch(
      createHandlers(services),
      'settings:set',
      { defaultModelGrey: join(root, 'secret-models', 'stranger') },
      { emit: () => {} },
    );
    expect(set).toEqual({ ok: false, error: expect.objectContaining({ code: 'invalid-request' }) });
    expect(
      (await dispatch(createHandlers(services), 'settings:set', { defaultModelGrey: 'grey' }, { emit: () => {} })).ok,
    ).toBe(true);
  });
});
