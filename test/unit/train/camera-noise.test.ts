// The camera-noise synthesis: statistics, not just shapes. Shot + read noise grows linearly with the
// raw signal, demosaicing correlates neighbours, in-camera smoothing and the colour matrix shape the
// noise, JPEG really happens, and one seed always gives one patch.
import { describe, expect, it } from 'vitest';
import {
  addCorrelatedGaussian,
  addShotReadNoise,
  bayerColour,
  cameraNoiseLinear,
  demosaicBilinear,
  invert3,
  mosaic,
  processRaw,
  rmsNoiseLevel,
  sampleCameraParams,
  smoothNoise,
  srgbDecode,
  srgbEncode,
  tone,
  toneInverse,
  unprocess,
  type CameraParams,
} from '../../../src-main/engine/train/camera-noise.js';
import { jpegRoundTrip, quantise8 } from '../../../src-main/engine/train/jpeg-roundtrip.js';
import {
  addCameraNoise,
  applyNoise,
  CAMERA_RECIPE,
  simulatedCameraPair,
} from '../../../src-main/engine/train/noise.js';
import { extractPatch } from '../../../src-main/engine/train/patches.js';
import { SeededRandom } from '../../../src-main/engine/util/rng.js';
import { colourPhoto } from '../../helpers/samples.js';

function variance(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m += values[i]!;
  m /= values.length;
  let v = 0;
  for (let i = 0; i < values.length; i++) v += (values[i]! - m) ** 2;
  return v / values.length;
}

/** Pearson correlation of pairs (a[i], b[i]). */
function correlation(a: number[], b: number[]): number {
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

const quietCamera = (overrides: Partial<CameraParams> = {}): CameraParams => {
  const camToRgb = [1.6, -0.4, -0.2, -0.3, 1.5, -0.2, -0.1, -0.5, 1.6] as CameraParams['camToRgb'];
  return {
    camToRgb,
    rgbToCam: invert3(camToRgb),
    redGain: 2,
    blueGain: 1.7,
    digitalGain: 1,
    shot: 0.01,
    read: 1e-4,
    bayerPhase: 0,
    lumaSmoothing: 0,
    chromaSmoothing: 0,
    chroma420: false,
    ...overrides,
  };
};

describe('camera pipeline pieces', () => {
  it('tone curve, gamma and colour matrix invert exactly', () => {
    for (const v of [0, 0.01, 0.2, 0.5, 0.77, 1]) {
      expect(tone(toneInverse(v))).toBeCloseTo(v, 6);
      expect(srgbEncode(srgbDecode(v))).toBeCloseTo(v, 6);
    }
    const p = quietCamera();
    const product = [0, 1, 2].flatMap((r) =>
      [0, 1, 2].map((c) => [0, 1, 2].reduce((s, k) => s + p.camToRgb[r * 3 + k]! * p.rgbToCam[k * 3 + c]!, 0)),
    );
    product.forEach((v, i) => expect(v).toBeCloseTo(i % 4 === 0 ? 1 : 0, 9));
  });

  it('drawn colour matrices keep white white, and drawn cameras stay in their ranges', () => {
    const rng = new SeededRandom(11);
    for (let i = 0; i < 50; i++) {
      const p = sampleCameraParams(rng);
      for (let r = 0; r < 3; r++)
        expect(p.camToRgb[r * 3]! + p.camToRgb[r * 3 + 1]! + p.camToRgb[r * 3 + 2]!).toBeCloseTo(1, 9);
      expect(p.shot).toBeGreaterThanOrEqual(1e-4);
      expect(p.shot).toBeLessThanOrEqual(0.016);
      expect(p.read).toBeGreaterThan(0);
    }
  });

  it('the mosaic is RGGB with four phases and keeps one colour per pixel', () => {
    expect([bayerColour(0, 0, 0), bayerColour(1, 0, 0), bayerColour(0, 1, 0), bayerColour(1, 1, 0)]).toEqual([
      0, 1, 1, 2,
    ]);
    expect([bayerColour(0, 0, 3), bayerColour(1, 1, 3)]).toEqual([2, 0]);
    const rgb = Float32Array.from({ length: 4 * 4 * 3 }, (_, i) => (i % 3) / 10);
    const raw = mosaic(rgb, 4, 4, 0);
    expect(raw[0]).toBeCloseTo(0, 6);
    expect(raw[1]).toBeCloseTo(0.1, 6);
    expect(raw[5]).toBeCloseTo(0.2, 6);
  });

  it('a flat colour survives unprocessing and processing (the clean pipeline is an identity)', () => {
    const side = 12;
    const srgb = Float32Array.from({ length: side * side * 3 }, (_, i) => [0.62, 0.41, 0.23][i % 3]!);
    for (const phase of [0, 1, 2, 3] as const) {
      const p = quietCamera({ bayerPhase: phase });
      const back = processRaw(unprocess(srgb, side, side, p), side, side, p);
      back.forEach((v, i) => expect(v).toBeCloseTo(srgb[i]!, 4));
    }
  });
});

describe('camera noise statistics', () => {
  it('raw noise variance grows linearly with brightness: shot·x + read', () => {
    const rng = new SeededRandom(5);
    const shot = 0.008;
    const read = 2e-4;
    const levels = [0.05, 0.2, 0.4, 0.6, 0.8];
    const vars = levels.map((x) => variance(addShotReadNoise(new Float32Array(40_000).fill(x), shot, read, rng)));
    // Least-squares line through (x, var).
    const mx = levels.reduce((s, v) => s + v, 0) / levels.length;
    const mv = vars.reduce((s, v) => s + v, 0) / vars.length;
    const slope =
      levels.reduce((s, x, i) => s + (x - mx) * (vars[i]! - mv), 0) / levels.reduce((s, x) => s + (x - mx) ** 2, 0);
    const intercept = mv - slope * mx;
    expect(slope).toBeCloseTo(shot, 3);
    expect(intercept).toBeGreaterThan(read * 0.7);
    expect(intercept).toBeLessThan(read * 1.3);
    levels.forEach((x, i) => expect(Math.abs(vars[i]! - (slope * x + intercept)) / vars[i]!).toBeLessThan(0.05));
  });

  it('demosaicing correlates the noise of neighbouring pixels (white raw noise does not)', () => {
    const side = 96;
    const rng = new SeededRandom(6);
    const raw = Float32Array.from({ length: side * side }, () => 0.5 + 0.05 * rng.normal());
    const rgb = demosaicBilinear(raw, side, side, 0);
    const neighbours = (get: (x: number, y: number) => number): number => {
      const a: number[] = [];
      const b: number[] = [];
      for (let y = 1; y < side - 1; y++)
        for (let x = 1; x < side - 2; x++) {
          a.push(get(x, y));
          b.push(get(x + 1, y));
        }
      return correlation(a, b);
    };
    expect(Math.abs(neighbours((x, y) => raw[y * side + x]!))).toBeLessThan(0.05);
    for (const c of [0, 1, 2]) expect(neighbours((x, y) => rgb[(y * side + x) * 3 + c]!)).toBeGreaterThan(0.3);
  });

  it('in-camera chroma smoothing makes the noise blotchy and keeps luma; the colour matrix mixes channels', () => {
    const side = 64;
    const rng = new SeededRandom(7);
    const noise = Float32Array.from({ length: side * side * 3 }, () => 0.02 * rng.normal());
    const smooth = smoothNoise(noise, side, side, 0, 2);
    const luma = (n: Float32Array) =>
      Array.from({ length: side * side }, (_, p) => 0.299 * n[p * 3]! + 0.587 * n[p * 3 + 1]! + 0.114 * n[p * 3 + 2]!);
    luma(smooth).forEach((v, i) => expect(v).toBeCloseTo(luma(noise)[i]!, 6));
    expect(variance(smooth.filter((_, i) => i % 3 === 2))).toBeLessThan(
      0.7 * variance(noise.filter((_, i) => i % 3 === 2)),
    );
    // Channels of processed camera noise are correlated (the matrix mixes a pixel's three raw samples).
    const srgb = new Float32Array(side * side * 3).fill(0.5);
    const p = quietCamera();
    const raw = unprocess(srgb, side, side, p);
    const base = processRaw(raw, side, side, p);
    const noisy = processRaw(addShotReadNoise(raw, p.shot, p.read, rng), side, side, p);
    const d = noisy.map((v, i) => v - base[i]!);
    const r = Array.from({ length: side * side }, (_, k) => d[k * 3]!);
    const g = Array.from({ length: side * side }, (_, k) => d[k * 3 + 1]!);
    expect(Math.abs(correlation(r, g))).toBeGreaterThan(0.1);
  });

  it('noise after the pipeline depends on the signal: dark and bright halves differ', () => {
    const side = 64;
    const column = (i: number) => Math.floor(i / 3) % side;
    const clean = Float32Array.from({ length: side * side * 3 }, (_, i) => (column(i) < side / 2 ? 0.1 : 0.8));
    const noisy = cameraNoiseLinear(clean, side, side, 3, quietCamera(), new SeededRandom(8));
    // Each half away from the step (the demosaic mixes across it).
    const half = (dark: boolean) =>
      Array.from(noisy).filter((_, i) => (dark ? column(i) < side / 2 - 3 : column(i) > side / 2 + 2));
    const dark = Math.sqrt(variance(half(true)));
    const bright = Math.sqrt(variance(half(false)));
    // Shot noise grows with the signal; gamma and the tone curve compress bright values: not equal.
    expect(Math.max(dark, bright) / Math.min(dark, bright)).toBeGreaterThan(1.1);
  });

  it('correlated Gaussian noise keeps its σ and correlates pixels and channels', () => {
    const side = 96;
    const clean = new Float32Array(side * side * 3).fill(0.5);
    const noisy = addCorrelatedGaussian(clean, side, side, 3, 10, 1.5, 0.6, new SeededRandom(9));
    expect(rmsNoiseLevel(noisy, clean)).toBeGreaterThan(8.5);
    expect(rmsNoiseLevel(noisy, clean)).toBeLessThan(11.5);
    const ch = (c: number) => Array.from({ length: side * side }, (_, p) => noisy[p * 3 + c]!);
    expect(correlation(ch(0), ch(1))).toBeGreaterThan(0.45);
    expect(correlation(ch(0), ch(1))).toBeLessThan(0.75);
    const a = ch(0);
    expect(correlation(a.slice(0, -1), a.slice(1))).toBeGreaterThan(0.5);
  });
});

describe('JPEG and whole patches', () => {
  it('the JPEG round trip really compresses: 8-bit values, changed pixels, block edges', async () => {
    const side = 64;
    const rng = new SeededRandom(10);
    const noisy = Float32Array.from({ length: side * side * 3 }, () => 0.5 + 0.05 * rng.normal());
    const q = quantise8(noisy);
    const jpeg = await jpegRoundTrip(q, side, side, 3, { quality: 40, chroma420: true });
    jpeg.forEach((v) => expect(Math.abs(v * 255 - Math.round(v * 255))).toBeLessThan(1e-4));
    expect(rmsNoiseLevel(jpeg, q)).toBeGreaterThan(2);
    // Differences across 8×8 block edges are larger than inside blocks.
    let edge = 0;
    let inside = 0;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side - 1; x++) {
        const d = Math.abs(jpeg[(y * side + x) * 3 + 1]! - jpeg[(y * side + x + 1) * 3 + 1]!);
        if (x % 8 === 7) edge += d / 7;
        else inside += d / 49;
      }
    }
    expect(edge).toBeGreaterThan(inside * 1.1);
    const grey = await jpegRoundTrip(
      q.filter((_, i) => i % 3 === 0),
      side,
      side,
      1,
      { quality: 90, chroma420: false },
    );
    expect(grey.length).toBe(side * side);
  });

  it('one seed gives one patch; the recipe labels each patch with its measured level', async () => {
    const { data, info } = await (await colourPhoto(0)).raw().toBuffer({ resolveWithObject: true });
    const img = { width: info.width, height: info.height, channels: 3 as const, data: new Uint8Array(data) };
    const clean = extractPatch(img, 40, 40, 48);
    const shape = { width: 48, height: 48, channels: 3 as const };
    for (let seed = 1; seed <= 6; seed++) {
      const a = await applyNoise(clean, shape, { type: 'camera' }, new SeededRandom(seed));
      const b = await applyNoise(clean, shape, { type: 'camera' }, new SeededRandom(seed));
      expect(a.noisy).toEqual(b.noisy);
      expect(a.sigma).toBeCloseTo(rmsNoiseLevel(a.noisy, clean), 6);
      expect(a.sigma).toBeGreaterThan(0.3);
      a.noisy.forEach((v) => expect(Math.abs(v * 255 - Math.round(v * 255))).toBeLessThan(1e-3)); // 8-bit like a real photo
    }
    const c = await applyNoise(clean, shape, { type: 'camera' }, new SeededRandom(99));
    const d = await applyNoise(clean, shape, { type: 'camera' }, new SeededRandom(98));
    expect(c.noisy).not.toEqual(d.noisy);
    const grey = await applyNoise(
      clean.filter((_, i) => i % 3 === 0),
      { ...shape, channels: 1 },
      CAMERA_RECIPE,
      new SeededRandom(3),
    );
    expect(grey.noisy.length).toBe(48 * 48);
  });

  it("a simulated camera's pair: addCameraNoise's noisy patch, and the camera's own JPEG of the clean one", async () => {
    const { data, info } = await (await colourPhoto(1)).raw().toBuffer({ resolveWithObject: true });
    const img = { width: info.width, height: info.height, channels: 3 as const, data: new Uint8Array(data) };
    const clean = extractPatch(img, 60, 30, 64);
    const shape = { width: 64, height: 64, channels: 3 as const };
    let jpegs = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const { noisy, target } = await simulatedCameraPair(clean, shape, new SeededRandom(seed));
      expect(noisy).toEqual(await addCameraNoise(clean, shape, new SeededRandom(seed)));
      const camera = sampleCameraParams(new SeededRandom(seed));
      if (camera.jpegQuality === undefined) {
        expect(target).toBe(clean);
        continue;
      }
      jpegs++;
      const jpeg = { quality: camera.jpegQuality, chroma420: camera.chroma420 };
      expect(target).toEqual(await jpegRoundTrip(clean, 64, 64, 3, jpeg));
      expect(rmsNoiseLevel(target, clean)).toBeGreaterThan(0.1); // the JPEG dropped some of the scene
    }
    expect(jpegs).toBeGreaterThan(2);
  });
});
