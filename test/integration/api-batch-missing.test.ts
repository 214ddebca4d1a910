// One missing file does not reject a whole denoise:start batch: it fails alone (not found), the
// others are denoised — also when it is deleted after the batch was started. A file outside the
// opened folders still refuses the request. Real handlers, real engine process.
import { mkdir, mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type RequestContext } from '../../src-main/api/dispatch.js';
import { createHandlers, type ApiServices } from '../../src-main/api/index.js';
import type { EventName, EventPayload } from '../../src-shared/contract.js';
import type { JobDone, JobFileDone } from '../../src-shared/schemas/denoise.js';
import { browserHostServices } from '../helpers/api-services.js';
import { greyPhoto } from '../helpers/samples.js';
import { testCard, writeRandomModelFolder } from '../helpers/model-fixtures.js';

let root: string;
let services: ApiServices;
const photo = (name: string): string => join(root, 'photos', name);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-batch-'));
  await writeRandomModelFolder(join(root, 'shipped', 'grey'), testCard({ id: 'grey' }));
  await mkdir(join(root, 'photos'));
  for (const name of ['a.png', 'b.png', 'c.png']) {
    await (await greyPhoto('06')).extract({ left: 0, top: 0, width: 48, height: 32 }).png().toFile(photo(name));
  }
  services = await browserHostServices(root, [join(root, 'photos')]);
});

afterAll(async () => {
  await services.engine?.client.dispose();
  await rm(root, { recursive: true, force: true });
});

async function run(
  files: string[],
  onProgress?: (path: string) => Promise<void>,
): Promise<{ files: JobFileDone[]; done: JobDone }> {
  const results: JobFileDone[] = [];
  let finished!: (d: JobDone) => void;
  const done = new Promise<JobDone>((r) => (finished = r));
  const context: RequestContext = {
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      if (event === 'job:progress') void onProgress?.((payload as { path: string }).path);
      if (event === 'job:file-done') results.push(payload as JobFileDone);
      if (event === 'job:done') finished(payload as JobDone);
    },
  };
  const started = await dispatch(createHandlers(services), 'denoise:start', { files }, context);
  expect(started.ok).toBe(true);
  return { files: results, done: await done };
}

describe('a batch with a missing file', () => {
  it('denoises the others and reports the missing one as not found', async () => {
    const { files, done } = await run([photo('a.png'), photo('gone.png'), photo('b.png')]);
    expect(done).toMatchObject({ succeeded: 2, failed: 1 });
    expect(files.find((f) => f.path === photo('gone.png'))?.error).toMatchObject({ code: 'not-found' });
  });

  it('a file deleted after the batch started fails alone', async () => {
    let deleted = false;
    const { done, files } = await run([photo('a.png'), photo('c.png'), photo('b.png')], async (path) => {
      if (path === photo('a.png') && !deleted) {
        deleted = true;
        await unlink(photo('c.png'));
      }
    });
    // a.png and b.png were denoised by the test above: by default a second batch leaves them alone.
    expect(done).toMatchObject({ succeeded: 0, skipped: 2, failed: 1 });
    expect(files.filter((f) => f.skipped).map((f) => f.outputPath)).toEqual([
      join(root, 'photos', 'denoised', 'a.png'),
      join(root, 'photos', 'denoised', 'b.png'),
    ]);
    expect(files.find((f) => f.path === photo('c.png'))?.error?.code).toBe('not-found');
  });

  it('a file outside the opened folders still refuses the whole request', async () => {
    const res = await dispatch(
      createHandlers(services),
      'denoise:start',
      { files: [photo('a.png'), join(root, 'shipped', 'x.png')] },
      { emit: () => {} },
    );
    expect(res).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
  });
});
