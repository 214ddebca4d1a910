// The denoise and models channels through the real dispatcher: access checks, settings defaults,
// events pushed through the request context, typed errors.
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type RequestContext } from '../../src-main/api/dispatch.js';
import { createHandlers, type ApiServices } from '../../src-main/api/index.js';
import type { EventName, EventPayload } from '../../src-shared/contract.js';
import type { JobFileDone } from '../../src-shared/schemas/denoise.js';
import { Settings } from '../../src-shared/schemas/settings.js';
import { browserHostServices } from '../helpers/api-services.js';
import { greyPhoto } from '../helpers/samples.js';
import { testCard, writeRandomModelFolder } from '../helpers/model-fixtures.js';

let root: string;
let services: ApiServices;
const events: Array<{ event: EventName; payload: unknown }> = [];
let jobDone: (() => void) | undefined;
const context: RequestContext = {
  emit<E extends EventName>(event: E, payload: EventPayload<E>) {
    events.push({ event, payload });
    if (event === 'job:done') jobDone?.();
  },
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-api-'));
  await writeRandomModelFolder(join(root, 'shipped', 'grey'), testCard({ id: 'grey' }));
  await mkdir(join(root, 'photos'));
  await (
    await greyPhoto('06')
  )
    .extract({ left: 0, top: 0, width: 128, height: 96 })
    .toColourspace('b-w')
    .png()
    .toFile(join(root, 'photos', 'a.png'));
  await mkdir(join(root, 'elsewhere'));
  await (
    await greyPhoto('07')
  )
    .extract({ left: 0, top: 0, width: 64, height: 64 })
    .toColourspace('b-w')
    .png()
    .toFile(join(root, 'elsewhere', 'b.png'));
  services = await browserHostServices(root, [join(root, 'photos')]);
});

afterAll(async () => {
  await services.engine?.client.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('denoise and models channels', () => {
  const handlers = () => createHandlers(services);

  it('lists models and refuses to delete a shipped one', async () => {
    const list = await dispatch(handlers(), 'models:list', {}, context);
    expect(list.ok && (list.value as Array<{ card: { id: string } }>).map((m) => m.card.id)).toEqual(['grey']);
    const del = await dispatch(handlers(), 'models:delete', { id: 'grey' }, context);
    expect(del).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
  });

  it('refuses files outside the opened folders', async () => {
    const res = await dispatch(handlers(), 'denoise:start', { files: [join(root, 'elsewhere', 'b.png')] }, context);
    expect(res).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
  });

  it('runs a job with settings defaults and pushes its events', async () => {
    services.settings.set({ outputFolderPattern: 'clean' });
    const finished = new Promise<void>((r) => (jobDone = r));
    const res = await dispatch(
      handlers(),
      'denoise:start',
      { files: [join(root, 'photos', 'a.png')], strength: 0.5 },
      context,
    );
    expect(res.ok).toBe(true);
    await finished;
    const names = events.map((e) => e.event);
    expect(names).toContain('job:progress');
    expect(events.find((e) => e.event === 'job:file-done')?.payload).toEqual(
      expect.objectContaining({ outputPath: join(root, 'photos', 'clean', 'a.png') }),
    );
    expect(await readdir(join(root, 'photos', 'clean'))).toEqual(['a.png']);
  });

  it('preview honours the pixel limit in the settings (maxPixels), as a batch does', async () => {
    const big = join(root, 'photos', 'big.png');
    await sharp({ create: { width: 1200, height: 1000, channels: 3, background: { r: 128, g: 128, b: 128 } } })
      .toColourspace('b-w')
      .png()
      .toFile(big);
    services.settings.set({ maxPixels: 1_000_000 });
    try {
      const refused = await dispatch(handlers(), 'denoise:preview', { path: big, strength: 1, maxSide: 64 }, context);
      expect(refused).toEqual({
        ok: false,
        error: expect.objectContaining({ message: expect.stringMatching(/big\.png.*(pixel|limit)/i) }),
      });
      services.settings.set({ maxPixels: 2_000_000 });
      const allowed = await dispatch(handlers(), 'denoise:preview', { path: big, strength: 1, maxSide: 64 }, context);
      expect(allowed.ok).toBe(true);
    } finally {
      services.settings.set({ maxPixels: Settings.parse({}).maxPixels });
      await rm(big);
    }
  });

  it('answers a preview of the whole photo scaled to maxSide', async () => {
    const res = await dispatch(
      handlers(),
      'denoise:preview',
      { path: join(root, 'photos', 'a.png'), strength: 1, maxSide: 64 },
      context,
    );
    expect(res.ok && [(res.value as { width: number }).width, (res.value as { height: number }).height]).toEqual([
      64, 48,
    ]);
  });

  describe('the default models chosen in Settings', () => {
    const photo = () => join(root, 'photos', 'a.png');

    /** Denoises the photo with no model named, as the queue does on "Default"; the job's file-done event. */
    async function denoiseWithDefault(): Promise<Pick<JobFileDone, 'modelId' | 'warning'>> {
      const finished = new Promise<void>((r) => (jobDone = r));
      // The same photo each time: another copy, so that the model really runs again.
      const res = await dispatch(
        handlers(),
        'denoise:start',
        { files: [photo()], ifCopyExists: 'write-another' },
        context,
      );
      if (!res.ok) throw new Error(res.error.message);
      await finished;
      const { jobId } = res.value as { jobId: string };
      const { modelId, warning } = events
        .map((e) => e.payload as JobFileDone)
        .find((p) => p.jobId === jobId && p.outputPath !== undefined)!;
      return { modelId, warning };
    }

    async function previewWithDefault(): Promise<{ modelId: string; warning?: string | undefined }> {
      const res = await dispatch(handlers(), 'denoise:preview', { path: photo(), strength: 1, maxSide: 32 }, context);
      if (!res.ok) throw new Error(res.error.message);
      const { modelId, warning } = res.value as { modelId: string; warning?: string };
      return { modelId, warning };
    }

    beforeAll(async () => {
      // User models beside the shipped "grey": another grey one, and a colour one.
      await writeRandomModelFolder(join(root, 'data', 'models', 'grey-b'), testCard({ id: 'grey-b' }));
      await writeRandomModelFolder(join(root, 'data', 'models', 'colour-b'), testCard({ id: 'colour-b', channels: 3 }));
    });

    it('a grey photo is denoised and previewed with the preferred grey model', async () => {
      services.settings.set({ defaultModelGrey: 'grey-b', defaultModelColour: 'colour-b' });
      expect(await denoiseWithDefault()).toEqual(expect.objectContaining({ modelId: 'grey-b', warning: undefined }));
      expect(await previewWithDefault()).toEqual(expect.objectContaining({ modelId: 'grey-b', warning: undefined }));
    });

    it('a colour model, or one that does not exist, gives way to the automatic default with a warning', async () => {
      services.settings.set({ defaultModelGrey: 'colour-b' });
      const wrongChannels = await denoiseWithDefault();
      expect(wrongChannels.modelId).toBe('grey');
      expect(wrongChannels.warning).toMatch(
        /default greyscale model set in Settings \("colour-b"\).*grey ran instead.*is for colour photos/,
      );
      expect(await previewWithDefault()).toEqual(
        expect.objectContaining({ modelId: 'grey', warning: expect.stringMatching(/"colour-b"/) }),
      );
      services.settings.set({ defaultModelGrey: 'gone' });
      const missing = await denoiseWithDefault();
      expect(missing.modelId).toBe('grey');
      expect(missing.warning).toMatch(/default greyscale model set in Settings \("gone"\).*There is no model "gone"/);
    });

    it('an empty choice is the automatic default', async () => {
      services.settings.set({ defaultModelGrey: '' });
      expect(await denoiseWithDefault()).toEqual(expect.objectContaining({ modelId: 'grey', warning: undefined }));
      expect(await previewWithDefault()).toEqual(expect.objectContaining({ modelId: 'grey', warning: undefined }));
    });
  });
});
