// resolveDenoiseJob: the one place a request meets the settings. A field the request gives wins;
// every other one is the setting's, for a batch and for a preview alike.
import { describe, expect, it } from 'vitest';
import { resolveDenoiseJob } from '../../src-main/api/resolve-denoise-job.js';
import { DenoiseJob } from '../../src-main/engine/contract/denoise-job.js';
import { Settings } from '../../src-shared/schemas/settings.js';

const settings = Settings.parse({
  outputFolderPattern: 'clean',
  outputFormat: 'webp',
  jpegQuality: 80,
  keepMetadata: false,
  defaultModelGrey: 'grey-b',
  strength: 0.7,
  tileSize: 256,
  noiseLevel: 12,
  quality: 'max',
  runtime: 'cpu',
  threads: 2,
  maxPixels: 5_000_000,
});

describe('resolveDenoiseJob', () => {
  it('fills everything a request leaves out from the settings', () => {
    const job = resolveDenoiseJob({}, settings);
    expect(job).toEqual({
      defaultModels: { grey: 'grey-b', colour: '' },
      cameraModels: {},
      engine: { runtime: 'cpu', threads: 2 },
      strength: 0.7,
      tileSize: 256,
      noiseLevel: 12,
      quality: 'max',
      pixelLimit: 5_000_000,
      outputFormat: 'webp',
      outputPattern: 'clean/{name}.{ext}',
      jpegQuality: 80,
      keepMetadata: false,
      // Not a setting: the batch form's choice, "skip" unless the request asks for another copy.
      ifCopyExists: 'skip',
    });
    expect(DenoiseJob.parse(job)).toEqual(job);
    expect(resolveDenoiseJob({ ifCopyExists: 'write-another' }, settings).ifCopyExists).toBe('write-another');
  });

  it('keeps what the request chose, "same" format included', () => {
    const job = resolveDenoiseJob(
      {
        modelId: 'm',
        strength: 0,
        tileSize: 128,
        noiseLevel: 'auto',
        quality: 'normal',
        outputFormat: 'same',
        outputPattern: 'x/{name}',
        jpegQuality: 99,
      },
      settings,
    );
    expect(job).toEqual(
      expect.objectContaining({
        modelId: 'm',
        strength: 0,
        tileSize: 128,
        noiseLevel: 'auto',
        quality: 'normal',
        outputPattern: 'x/{name}',
        jpegQuality: 99,
      }),
    );
    expect(job.outputFormat).toBeUndefined();
  });

  it('gives a preview the tile size and the pixel limit of the settings', () => {
    const job = resolveDenoiseJob({ strength: 1, noiseLevel: 5 }, settings);
    expect([job.strength, job.noiseLevel, job.tileSize, job.pixelLimit]).toEqual([1, 5, 256, 5_000_000]);
  });

  it('at the default settings, gives the engine its own defaults', () => {
    const job = resolveDenoiseJob({}, Settings.parse({}));
    expect(job).toEqual(
      expect.objectContaining({
        strength: 1,
        tileSize: 512,
        noiseLevel: 'auto',
        quality: 'normal',
        outputPattern: 'denoised/{name}.{ext}',
        jpegQuality: 95,
        keepMetadata: true,
      }),
    );
    expect(job.outputFormat).toBeUndefined();
  });
});
