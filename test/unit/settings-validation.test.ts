// Mistakes in what the user sets are refused when set, with the message: an output pattern that
// climbs out of the photo's folder or has an unknown placeholder; and a model card whose sizes
// would make every tile enormous is refused when the model is read.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllowedFolders } from '../../src-main/access/allowed-folders.js';
import { dispatch } from '../../src-main/api/dispatch.js';
import { createHandlers, type ApiServices } from '../../src-main/api/index.js';
import { readCard } from '../../src-main/engine/models/model-folder.js';
import { openConfSettings } from '../../src-main/settings/conf-settings.js';
import { DenoiseStartRequest } from '../../src-shared/schemas/denoise.js';
import { testCard } from '../helpers/model-fixtures.js';

let dir: string;
let services: ApiServices;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cf-validate-'));
  services = {
    host: 'browser',
    settings: openConfSettings(dir),
    access: new AllowedFolders(),
  } as unknown as ApiServices;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('output pattern', () => {
  it.each([
    ['../outside', 'may not leave the photo’s folder'],
    ['denoised/../../x', 'may not leave the photo’s folder'],
    ['/tmp/out', 'not an absolute path'],
    ['denoised/{nme}', 'unknown placeholder {nme}'],
    ['denoised/{name', 'unmatched'],
  ])('settings:set refuses %s with the reason, and keeps the old value', async (pattern, reason) => {
    const res = await dispatch(
      createHandlers(services),
      'settings:set',
      { outputFolderPattern: pattern },
      { emit: () => {} },
    );
    expect(res).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'invalid-request', message: expect.stringContaining(reason) }),
    });
    expect(services.settings.get().outputFolderPattern).toBe('denoised');
  });

  it('accepts the placeholders output naming fills in', async () => {
    const res = await dispatch(
      createHandlers(services),
      'settings:set',
      { outputFolderPattern: 'denoised/{model}' },
      { emit: () => {} },
    );
    expect(res.ok).toBe(true);
    expect(
      DenoiseStartRequest.safeParse({ files: ['/a.jpg'], outputPattern: 'clean/{name}-{model}.{ext}' }).success,
    ).toBe(true);
  });

  it('denoise:start refuses a request pattern with an unknown placeholder', () => {
    const parsed = DenoiseStartRequest.safeParse({ files: ['/a.jpg'], outputPattern: '{nme}.{ext}' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('{nme}');
  });
});

describe('model card bounds', () => {
  it.each([
    ['sizeMultiple', { sizeMultiple: 1_048_576 }],
    ['patchSize', { patchSize: 1e9 }],
  ])('a card with an absurd %s is refused', async (field, overrides) => {
    const folder = join(dir, `card-${field}`);
    await mkdir(folder);
    await writeFile(join(folder, 'card.json'), JSON.stringify(testCard({ id: 'big', ...overrides })));
    await expect(readCard(folder)).rejects.toThrow(field);
    await writeFile(join(folder, 'card.json'), JSON.stringify(testCard({ id: 'big' })));
    await expect(readCard(folder)).resolves.toMatchObject({ id: 'big' });
  });
});
