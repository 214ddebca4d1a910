// The validation set of a camera run: held-out crops with the camera's fitted noise (seeded, the same
// at every build), each told its own noise RMS, instead of white noise at the run's σ.
import { describe, expect, it } from 'vitest';
import { TEST_CAMERA_NOISE } from '../../helpers/train-recipes.js';
import type { CameraProfileNoise } from '../../../src-shared/schemas/train.js';
import { rmsNoiseLevel } from '../../../src-main/engine/train/camera-noise.js';
import type { ImagePair } from '../../../src-main/engine/train/dataset.js';
import { buildValidationSet, type ValidationSpec } from '../../../src-main/engine/train/validation.js';
import { measureNoise } from '../../../src-main/engine/noise-profile/measure-noise.js';
import { colourPhoto } from '../../helpers/samples.js';

const camera: CameraProfileNoise = TEST_CAMERA_NOISE;

async function pairs(): Promise<ImagePair[]> {
  return Promise.all(
    [0, 1, 2].map(async (n) => {
      const { data, info } = await (await colourPhoto(n)).raw().toBuffer({ resolveWithObject: true });
      return { name: `photo-${n}`, clean: { width: info.width, height: info.height, channels: 3, data } };
    }),
  );
}

const spec: ValidationSpec = {
  channels: 3,
  sigma: 2,
  maxImages: 3,
  crop: 128,
  noiseLevelInput: true,
  output: 'noise',
  seed: 1,
};

/** The level plane of an HWC input with the level as its last channel. */
const levelOf = (input: Float32Array, channels: number): number => input[channels]! * 255;

describe('validation set', () => {
  it("with a camera's noise: that noise, each crop told its own RMS, the same at every build", async () => {
    const images = await pairs();
    const set = await buildValidationSet(images, { ...spec, camera });
    const again = await buildValidationSet(images, { ...spec, camera });
    expect(set.crops).toHaveLength(3);
    for (const [k, crop] of set.crops.entries()) {
      const rms = rmsNoiseLevel(crop.noisy, crop.clean);
      expect(rms).toBeGreaterThan(1);
      expect(levelOf(crop.input, 3)).toBeCloseTo(rms, 3);
      expect(again.crops[k]!.noisy).toEqual(crop.noisy);
      // Demosaicing, smoothing and JPEG make camera noise blotchy: neighbours correlate.
      expect(measureNoise(crop.noisy, crop.clean, crop.side, crop.side).lumaCorrelation[0]).toBeGreaterThan(0.3);
    }
  });

  it('without one: white noise at σ, told σ', async () => {
    const set = await buildValidationSet(await pairs(), spec);
    for (const crop of set.crops) {
      expect(levelOf(crop.input, 3)).toBeCloseTo(2, 3);
      expect(rmsNoiseLevel(crop.noisy, crop.clean)).toBeGreaterThan(1.6);
      expect(rmsNoiseLevel(crop.noisy, crop.clean)).toBeLessThan(2.2);
      expect(Math.abs(measureNoise(crop.noisy, crop.clean, crop.side, crop.side).lumaCorrelation[0]!)).toBeLessThan(
        0.1,
      );
    }
  });
});
