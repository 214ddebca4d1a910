// Each bound and default of a denoise declared once (schemas/denoise.ts, denoise-defaults.ts) and
// the same at every hop: the request, the settings file, the engine's DenoiseJob and the CLI.
import { describe, expect, it } from 'vitest';
import { DENOISE_USAGE, noiseLevelOption } from '../../src-main/cli/denoise.js';
import { resolveDenoiseJob } from '../../src-main/api/resolve-denoise-job.js';
import { DenoiseJob } from '../../src-main/engine/contract/denoise-job.js';
import { DEFAULT_IF_COPY_EXISTS, DEFAULT_NOISE_LEVEL, DEFAULT_STRENGTH } from '../../src-shared/denoise-defaults.js';
import {
  DenoisePreviewRequest,
  DenoiseStartRequest,
  SETTINGS_TILE_SIZE_MAX,
  TILE_SIZE_MAX,
  TILE_SIZE_MIN,
} from '../../src-shared/schemas/denoise.js';
import { DEFAULT_SETTINGS, Settings } from '../../src-shared/schemas/settings.js';

const request = (fields: object) => DenoiseStartRequest.safeParse({ files: ['/p/a.jpg'], ...fields }).success;
const job = (fields: object) => DenoiseJob.safeParse({ strength: DEFAULT_STRENGTH, ...fields }).success;
const setting = (fields: object) => Settings.safeParse(fields).success;

describe('tile size bounds', () => {
  it('are 64–4096 for a request and a job, 64–2048 in Settings (what each took before)', () => {
    expect([TILE_SIZE_MIN, TILE_SIZE_MAX, SETTINGS_TILE_SIZE_MAX]).toEqual([64, 4096, 2048]);
    for (const accepts of [request, job]) {
      expect([63, 64, 4096, 4097, 100.5].map((tileSize) => accepts({ tileSize }))).toEqual([
        false,
        true,
        true,
        false,
        false,
      ]);
    }
    expect([63, 64, 2048, 2049].map((tileSize) => setting({ tileSize }))).toEqual([false, true, true, false]);
    // One bound per message: Settings does not report the request's 4096 as well.
    expect(Settings.safeParse({ tileSize: 5000 }).error?.issues.map((i) => i.message)).toEqual([
      expect.stringContaining('2048'),
    ]);
  });

  it('are what the CLI help states', () => {
    expect(DENOISE_USAGE).toContain('--tile 64..4096');
    expect(DENOISE_USAGE).toContain('--strength 0..1');
    expect(DENOISE_USAGE).toContain('--jpeg-quality 1..100');
    expect(DENOISE_USAGE).toContain('(0–75, RMS');
    expect(() => noiseLevelOption('76')).toThrow('--noise-level must be a number from 0 to 75 (got "76")');
    expect(noiseLevelOption('75')).toBe(75);
  });
});

describe('strength bounds', () => {
  it('are 0–1 for a batch, a preview, a job and Settings', () => {
    const preview = (fields: object) => DenoisePreviewRequest.safeParse({ path: '/p/a.jpg', ...fields }).success;
    for (const accepts of [request, preview, job, setting])
      expect([-0.01, 0, 1, 1.01].map((strength) => accepts({ strength }))).toEqual([false, true, true, false]);
  });
});

describe('defaults', () => {
  it('start Settings at full strength and the Auto noise level', () => {
    expect(DEFAULT_SETTINGS.strength).toBe(DEFAULT_STRENGTH);
    expect(DEFAULT_SETTINGS.noiseLevel).toBe(DEFAULT_NOISE_LEVEL);
    expect([DEFAULT_STRENGTH, DEFAULT_NOISE_LEVEL]).toEqual([1, 'auto']);
  });

  it("skip a photo already denoised when an app's request does not say, and leave a job without a value to write another", () => {
    expect(DEFAULT_IF_COPY_EXISTS).toBe('skip');
    expect(resolveDenoiseJob({}, DEFAULT_SETTINGS).ifCopyExists).toBe('skip');
    expect(DenoiseJob.parse({ strength: 1 }).ifCopyExists).toBeUndefined();
  });
});
