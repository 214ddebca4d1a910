// Training data for the noise-level map estimator (models/noise-map-net.ts), all synthetic: a clean
// patch, a noise drawn from a wider range than the denoisers' recipe (cameras up to noise RMS ≈15 on
// 8-bit sRGB with strong chroma blotches, JPEG 4:2:0 and 4:4:4; white and correlated Gaussian; none),
// and the target map: the natural log of the local RMS of noisy − clean, the level a noise-level
// model is trained with (noise.ts labels each patch with that RMS), per NOISE_MAP_STRIDE² cell. No
// real photo and no benchmark set is read here.
import { NOISE_MAP_STRIDE } from '../models/noise-map-net.js';
import type { SeededRandom } from '../util/rng.js';
import { addCorrelatedGaussian, blurPlane, CAMERA_RANGES, type CameraRanges } from './camera-noise.js';
import { addCameraNoise, addGaussian, type PatchShape } from './noise.js';
import { quantise8 } from './jpeg-roundtrip.js';

/**
 * Cameras for the estimator: the recipe's (CAMERA_RANGES) widened to brighter-pushed, noisier sensors
 * (shot noise to 0.03, digital gain to 2: patch RMS to ≈30 on 8-bit sRGB, a quarter of patches above 15), heavier chroma smoothing
 * (blotches to 4 px), harder JPEG (quality 60–98) and as much 4:4:4 as 4:2:0.
 */
export const NOISE_MAP_CAMERA_RANGES: CameraRanges = {
  ...CAMERA_RANGES,
  shot: [1e-4, 0.03],
  digitalGain: [1, 2],
  chromaSmoothing: [0.5, 4],
  jpegQuality: [60, 98],
  chroma420Probability: 0.5,
};

/** The lowest level a target holds (an 8-bit image's quantisation alone is ≈0.29). */
export const NOISE_MAP_MIN_LEVEL = 0.25;
/** Std (px) of the Gaussian window the local RMS is measured over: about a 64-px training patch's reach. */
export const NOISE_MAP_WINDOW = 12;

export type NoiseMapNoise = 'camera-wide' | 'camera' | 'gaussian' | 'gaussian-correlated' | 'none';

/** What a patch's noise is drawn from, with its share of the patches. */
export const NOISE_MAP_MIX: readonly [NoiseMapNoise, number][] = [
  ['camera-wide', 0.5],
  ['camera', 0.15],
  ['gaussian', 0.15],
  ['gaussian-correlated', 0.12],
  ['none', 0.08],
];

function drawKind(rng: SeededRandom): NoiseMapNoise {
  let u = rng.next();
  for (const [kind, share] of NOISE_MAP_MIX) if ((u -= share) < 0) return kind;
  return NOISE_MAP_MIX[0]![0];
}

/** Log level map (row-major, width/STRIDE × height/STRIDE) of the local RMS of noisy − clean, 0..255 scale. */
export function noiseMapTarget(noisy: Float32Array, clean: Float32Array, shape: PatchShape): Float32Array {
  const { width, height, channels } = shape;
  const power = new Float32Array(width * height);
  for (let p = 0; p < power.length; p++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += (noisy[p * channels + c]! - clean[p * channels + c]!) ** 2;
    power[p] = (s / channels) * 255 * 255;
  }
  const local = blurPlane(power, width, height, NOISE_MAP_WINDOW);
  const [mw, mh] = [width / NOISE_MAP_STRIDE, height / NOISE_MAP_STRIDE];
  const map = new Float32Array(mw * mh);
  for (let y = 0; y < mh; y++) {
    for (let x = 0; x < mw; x++) {
      let s = 0;
      for (let dy = 0; dy < NOISE_MAP_STRIDE; dy++)
        for (let dx = 0; dx < NOISE_MAP_STRIDE; dx++)
          s += local[(y * NOISE_MAP_STRIDE + dy) * width + x * NOISE_MAP_STRIDE + dx]!;
      map[y * mw + x] = Math.log(Math.max(NOISE_MAP_MIN_LEVEL, Math.sqrt(s / NOISE_MAP_STRIDE ** 2)));
    }
  }
  return map;
}

export interface NoiseMapSample {
  noisy: Float32Array;
  /** Log level per cell (noiseMapTarget). */
  target: Float32Array;
  kind: NoiseMapNoise;
}

/** One training sample from a clean RGB patch (HWC, 0..1; sides multiples of NOISE_MAP_STRIDE). */
export async function noiseMapSample(
  clean: Float32Array,
  shape: PatchShape,
  rng: SeededRandom,
  kind = drawKind(rng),
): Promise<NoiseMapSample> {
  const { width, height, channels } = shape;
  let noisy: Float32Array;
  switch (kind) {
    case 'camera-wide':
      noisy = await addCameraNoise(clean, shape, rng, NOISE_MAP_CAMERA_RANGES);
      break;
    case 'camera':
      noisy = await addCameraNoise(clean, shape, rng);
      break;
    case 'gaussian':
      noisy = quantise8(addGaussian(clean, rng.uniform(0, 50), rng));
      break;
    case 'gaussian-correlated':
      noisy = quantise8(
        addCorrelatedGaussian(
          clean,
          width,
          height,
          channels,
          rng.uniform(0, 30),
          rng.uniform(0.3, 1.5),
          rng.uniform(0, 0.8),
          rng,
        ),
      );
      break;
    case 'none':
      noisy = quantise8(clean);
      break;
  }
  return { noisy, target: noiseMapTarget(noisy, clean, shape), kind };
}
