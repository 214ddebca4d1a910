// A profiled camera's training pairs: the noisy patch through the camera's JPEG, and as target the
// camera's JPEG of the clean patch (what a model can give back), the level told being the RMS between
// the two; the level gains scale the noise by brightness.
import { describe, expect, it } from 'vitest';
import type { CameraProfileNoise } from '../../../src-shared/schemas/train.js';
import { rmsNoiseLevel } from '../../../src-main/engine/train/camera-noise.js';
import { profiledCameraPair } from '../../../src-main/engine/train/camera-profile-noise.js';
import { jpegRoundTrip } from '../../../src-main/engine/train/jpeg-roundtrip.js';
import { applyNoise } from '../../../src-main/engine/train/noise.js';
import { SeededRandom } from '../../../src-main/engine/util/rng.js';
import { colourPhoto } from '../../helpers/samples.js';
import { TEST_CAMERA_NOISE } from '../../helpers/train-recipes.js';

const SIDE = 96;
const shape = { width: SIDE, height: SIDE, channels: 3 as const };

async function cleanPatch(): Promise<Float32Array> {
  const { data } = await (
    await colourPhoto(3)
  )
    .extract({ left: 150, top: 100, width: SIDE, height: SIDE })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Float32Array.from(data, (v) => v / 255);
}

const lossless: CameraProfileNoise = (({ jpegQuality: _q, ...rest }) => rest)(TEST_CAMERA_NOISE);

describe('profiledCameraPair', () => {
  it('a camera that writes JPEG: the target is its JPEG of the clean patch, nearer the noisy patch than the clean one', async () => {
    const clean = await cleanPatch();
    const camera = { ...TEST_CAMERA_NOISE, jpegQuality: 75 };
    const { noisy, target } = await profiledCameraPair(clean, shape, camera, new SeededRandom(4));
    expect(target).toEqual(await jpegRoundTrip(clean, SIDE, SIDE, 3, { quality: 75, chroma420: true }));
    expect(rmsNoiseLevel(target, clean)).toBeGreaterThan(0.5);
    expect(rmsNoiseLevel(noisy, target)).toBeLessThan(rmsNoiseLevel(noisy, clean));
    const { sigma, target: told } = await applyNoise(clean, shape, camera, new SeededRandom(4));
    expect(told).toEqual(target);
    expect(sigma).toBeCloseTo(rmsNoiseLevel(noisy, target), 10);
  });

  it('a camera that writes lossless files: the target is the clean patch', async () => {
    const clean = await cleanPatch();
    const { target } = await profiledCameraPair(clean, shape, lossless, new SeededRandom(4));
    expect(target).toBe(clean);
  });

  it('level gains of ½ halve the noise (same draws), 2 double it where nothing clips', async () => {
    const clean = Float32Array.from({ length: SIDE * SIDE * 3 }, (_, i) => 0.3 + 0.4 * ((i % (SIDE * 3)) / (SIDE * 3)));
    const rms = async (gain?: number) => {
      const recipe = gain === undefined ? lossless : { ...lossless, levelGains: new Array<number>(8).fill(gain) };
      const { noisy } = await profiledCameraPair(clean, shape, recipe, new SeededRandom(9));
      return rmsNoiseLevel(noisy, clean);
    };
    const base = await rms();
    expect(base).toBeGreaterThan(2);
    // 8-bit rounding adds ~0.29 levels RMS whatever the gain.
    expect((await rms(0.5)) / base).toBeCloseTo(0.5, 1);
    expect((await rms(2)) / base).toBeCloseTo(2, 1);
  });
});
