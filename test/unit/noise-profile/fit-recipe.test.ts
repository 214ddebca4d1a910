// The fit on synthetic "photos" of a known camera: their profile is measured, the recipe fitted to it
// from the usual starting point, and the fitted settings must come back near the known ones. The
// reference is a wide blur (the scenes are smooth colour fields), which keeps the test fast; the
// app's reference is the photo model, and the fit measures its candidates against the same one.
import { describe, expect, it } from 'vitest';
import { TEST_CAMERA_NOISE } from '../../helpers/train-recipes.js';
import type { CameraProfileNoise } from '../../../src-shared/schemas/train.js';
import { blurPlane } from '../../../src-main/engine/train/camera-noise.js';
import {
  fitCameraRecipe,
  measureSynthetic,
  noiseDistance,
  rampScenes,
  smoothScenes,
} from '../../../src-main/engine/noise-profile/fit-recipe.js';
import type { NoiseReference } from '../../../src-main/engine/noise-profile/profile-folder.js';
import { levelGain, profiledCameraParams } from '../../../src-main/engine/train/camera-profile-noise.js';
import { SeededRandom } from '../../../src-main/engine/util/rng.js';

/** Each channel blurred by a Gaussian of 3 px: on smooth scenes, close to the clean image. */
const blurReference: NoiseReference = async (noisy, width, height) => {
  const out = new Float32Array(noisy.length);
  for (let c = 0; c < 3; c++) {
    const plane = blurPlane(
      Float32Array.from({ length: width * height }, (_, p) => noisy[p * 3 + c]!),
      width,
      height,
      3,
    );
    plane.forEach((v, p) => (out[p * 3 + c] = v));
  }
  return out;
};

const camera: CameraProfileNoise = TEST_CAMERA_NOISE;

describe('profiledCameraParams', () => {
  it('keeps the recipe’s settings and scales shot and read together within [1/spread, spread]', () => {
    const rng = new SeededRandom(1);
    for (let i = 0; i < 50; i++) {
      const p = profiledCameraParams({ ...camera, spread: 2 }, rng);
      expect(p.read / p.shot).toBeCloseTo(camera.read / camera.shot, 10);
      expect(p.shot / camera.shot).toBeGreaterThanOrEqual(0.5);
      expect(p.shot / camera.shot).toBeLessThanOrEqual(2);
      expect([p.lumaSmoothing, p.chromaSmoothing, p.jpegQuality, p.chroma420, p.digitalGain]).toEqual([
        0.3,
        2,
        90,
        true,
        1,
      ]);
    }
  });
});

describe('levelGain', () => {
  it('is each bin’s gain at its centre, linear between centres, the end bins’ own beyond them', () => {
    const gains = [2, 1, 0.5, 0.5, 1, 1, 1, 3];
    gains.forEach((g, bin) => expect(levelGain(gains, (bin + 0.5) / 8)).toBeCloseTo(g, 12));
    expect(levelGain(gains, 2 / 8)).toBeCloseTo(0.75, 12);
    expect(levelGain(gains, 0)).toBe(2);
    expect(levelGain(gains, 1)).toBe(3);
  });
});

describe('fitCameraRecipe', () => {
  it('recovers a known camera from its photos’ profile: noise RMS within 10 %, chroma smoothing within 0.75 px, and a distance under a third of the start’s', async () => {
    const scenes = smoothScenes(4, 128, 7);
    // The "user's photos": other scenes and other noise draws than the fit's.
    const target = await measureSynthetic(camera, smoothScenes(6, 128, 99), blurReference, 1000);
    const distances: number[] = [];
    const fit = await fitCameraRecipe(
      { camera: 'Test camera', stats: target, isos: [], jpegQuality: 90, chroma420: true },
      { crops: scenes, reference: blurReference, onEvaluation: (_, d) => distances.push(d.total) },
    );
    expect(fit.recipe.jpegQuality).toBe(90);
    expect(fit.recipe.chroma420).toBe(true);
    expect(Math.abs(fit.measured.overallRms / target.overallRms - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.recipe.chromaSmoothing - camera.chromaSmoothing)).toBeLessThan(0.75);
    expect(fit.distance.total).toBeLessThan(distances[0]! / 3);
    expect(noiseDistance(target, fit.measured).total).toBeCloseTo(fit.distance.total, 10);
  }, 120_000);

  it('bends the noise-level curve to a camera whose noise falls off in the highlights (level gains): its shape within 20 %, the curve distance halved', async () => {
    const falling = [1.3, 1.3, 1.2, 1, 0.9, 0.7, 0.5, 0.4];
    const known: CameraProfileNoise = { ...camera, levelGains: falling };
    // Photos with every brightness: the scenes, and ramps (other noise draws than the fit's).
    const target = await measureSynthetic(known, [...smoothScenes(4, 128, 99), ...rampScenes(128)], blurReference, 500);
    expect(target.curve.length).toBe(8);
    const fit = await fitCameraRecipe(
      { camera: 'Test camera', stats: target, isos: [], jpegQuality: 90, chroma420: true },
      { crops: smoothScenes(4, 128, 7), reference: blurReference },
    );
    const gains = fit.recipe.levelGains!;
    expect(gains).toBeDefined();
    expect(fit.levelCurve.after).toBeLessThan(fit.levelCurve.before / 2);
    for (let bin = 1; bin < 7; bin++) {
      const shape = gains[bin]! / gains[3]!;
      const wanted = falling[bin]! / falling[3]!;
      expect(Math.abs(shape / wanted - 1), `bin ${bin}: ${gains.map((g) => g.toFixed(2)).join(' ')}`).toBeLessThan(0.2);
    }
  }, 180_000);
});
