// Auto's learned noise level: the noise-level map estimator shipped beside the models
// (assets/models/noise-map.onnx, trained on synthetic camera and Gaussian noise only by
// scripts/train-noise-map.ts; its card, noise-map.card.json, says on what and over which range).
// The network answers ln(level) per 4×4 cell, the local RMS of the noise that noise-level models are
// trained to be told. A photo's level is the median of that map over up to MAX_CROPS crops spread
// over it (a 12-MP photo costs about as much as a 1-MP one); nothing here was fitted on a benchmark.
import { colourChannels, type Pixels } from '../io/pixels.js';
import { createOnnxRuntime, type InferenceRuntime, type NhwcTensor } from './runtime.js';

/** The estimator's file in the shipped models folder. */
export const NOISE_MAP_ONNX = 'noise-map.onnx';
/** One map value per NOISE_MAP_STRIDE × NOISE_MAP_STRIDE input pixels. */
export const NOISE_MAP_STRIDE = 4;
/** Side of the crops the photo is read in (a multiple of NOISE_MAP_STRIDE), and how many at most. */
const CROP = 128;
const MAX_CROPS = 48;
/** Map cells this close to a crop's edge see its zero padding, and are left out. */
const EDGE_CELLS = 3;
/** The level range Auto answers: the floor of the estimator's training targets, and the models' top. */
const LEVEL_RANGE = [0.25, 75] as const;

export interface NoiseLevelEstimator {
  /** The photo's noise level (0..255 scale) as a noise-level model expects it. */
  level(image: Pixels): Promise<number>;
  dispose(): Promise<void>;
}

/** Opens the estimator (ONNX Runtime, CPU: it is small) from its file. */
export async function openNoiseMap(file: string, threads?: number): Promise<NoiseLevelEstimator> {
  const runtime = await createOnnxRuntime(file, { providers: ['cpu'], ...(threads ? { threads } : {}) });
  return { level: (image) => photoLevel(runtime, image), dispose: () => runtime.dispose() };
}

/** Top-left corners of up to MAX_CROPS CROP² crops on a regular grid over the photo (one, padded, when smaller). */
export function cropOrigins(width: number, height: number): { x: number; y: number }[] {
  const across = Math.max(1, Math.floor(width / CROP));
  const down = Math.max(1, Math.floor(height / CROP));
  const keep = Math.min(1, MAX_CROPS / (across * down));
  const [nx, ny] = [Math.max(1, Math.round(across * Math.sqrt(keep))), Math.max(1, Math.round(down * Math.sqrt(keep)))];
  const origins: { x: number; y: number }[] = [];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      origins.push({
        x: nx === 1 ? 0 : Math.round((i * Math.max(0, width - CROP)) / (nx - 1)),
        y: ny === 1 ? 0 : Math.round((j * Math.max(0, height - CROP)) / (ny - 1)),
      });
    }
  }
  return origins;
}

/** The CROP² crop at (x, y) as RGB 0..1 NHWC (grey as R = G = B; past the photo's edge, reflected). */
function readCrop(image: Pixels, x0: number, y0: number): NhwcTensor {
  const colours = colourChannels(image.channels);
  const data = new Float32Array(CROP * CROP * 3);
  const reflect = (v: number, n: number): number => (n === 1 ? 0 : v < n ? v : Math.max(0, 2 * n - 2 - v));
  for (let y = 0; y < CROP; y++) {
    const sy = reflect(y0 + y, image.height);
    for (let x = 0; x < CROP; x++) {
      const s = (sy * image.width + reflect(x0 + x, image.width)) * image.channels;
      const o = (y * CROP + x) * 3;
      for (let c = 0; c < 3; c++) data[o + c] = image.data[s + (colours === 1 ? 0 : c)]! / image.scale;
    }
  }
  return { data, shape: [1, CROP, CROP, 3] };
}

async function photoLevel(runtime: InferenceRuntime, image: Pixels): Promise<number> {
  const values: number[] = [];
  const side = CROP / NOISE_MAP_STRIDE;
  for (const { x, y } of cropOrigins(image.width, image.height)) {
    const map = await runtime.run(readCrop(image, x, y));
    for (let j = EDGE_CELLS; j < side - EDGE_CELLS; j++)
      for (let i = EDGE_CELLS; i < side - EDGE_CELLS; i++) values.push(map.data[j * side + i]!);
  }
  values.sort((a, b) => a - b);
  const level = Math.exp(values[Math.floor(values.length / 2)]!);
  return Math.min(LEVEL_RANGE[1], Math.max(LEVEL_RANGE[0], level));
}
