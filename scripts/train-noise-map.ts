// Trains the noise-level map estimator (engine/models/noise-map-net.ts) on synthetic noise only
// (engine/train/noise-map-data.ts) over clean photos, and writes assets/models/noise-map.onnx with
// its card (noise-map.card.json). Never reads a benchmark's noisy photos: polyu-dev is for checking
// the result (npm run bench:real), not for fitting it.
//   npx tsx scripts/train-noise-map.ts --data ../shared/data/bsds-color-train [--steps 2000] [--batch 16]
//     [--patch 64] [--lr 1e-3] [--seed 1] [--out assets/models] [--resume FILE] [--downscale 1] [--magnify 1]
// --downscale N box-averages each clean photo N×N first: scanned and JPEG'd "clean" photos carry grain
// of their own (RMS 1.5–3 on bsds-color-train), which the target counts as no noise; averaging N²
// pixels cuts that grain N× while the synthetic noise is added afterwards at full strength.
// --magnify M draws half the patches from a region enlarged up to M× (train/full-resolution-content.ts),
// content as smooth as a full-resolution photo's.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { initBackend } from '../src-main/engine/infer/tfjs-backend.js';
import { noiseMapNet, NOISE_MAP_STRIDE } from '../src-main/engine/models/noise-map-net.js';
import { exportToOnnx } from '../src-main/engine/onnx/onnx-export.js';
import { buildTrainingGraph, TRAIN_INPUT, TRAIN_LOSS, TRAIN_TARGET } from '../src-main/engine/onnx/training-graph.js';
import { Adam } from '../src-main/engine/train/adam.js';
import { decodeImage, listImages } from '../src-main/engine/train/dataset.js';
import {
  NOISE_MAP_CAMERA_RANGES,
  NOISE_MAP_MIN_LEVEL,
  NOISE_MAP_MIX,
  NOISE_MAP_WINDOW,
  noiseMapSample,
  type NoiseMapNoise,
} from '../src-main/engine/train/noise-map-data.js';
import { type Dihedral, type ImageU8 } from '../src-main/engine/train/patches.js';
import { enlargedPatch, magnifiedRegion } from '../src-main/engine/train/full-resolution-content.js';
import { SeededRandom } from '../src-main/engine/util/rng.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    steps: { type: 'string', default: '2000' },
    batch: { type: 'string', default: '16' },
    patch: { type: 'string', default: '64' },
    lr: { type: 'string', default: '1e-3' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: 'assets/models' },
    checkpoint: { type: 'string', default: '.scratch/noise-map-checkpoint.json' },
    resume: { type: 'string' },
    downscale: { type: 'string', default: '1' },
    magnify: { type: 'string', default: '1' },
  },
});
if (!values.data) throw new Error('--data DIR (clean photos) is required');
const [steps, batch, patch, lr0] = [
  Number(values.steps),
  Number(values.batch),
  Number(values.patch),
  Number(values.lr),
];
const started = Date.now();
await initBackend('cpu');

const files = await listImages(values.data);
const images: ImageU8[] = [];
const downscale = Number(values.downscale);
for (const f of files) images.push(boxDownscale(await decodeImage(join(values.data, f), 3), downscale));
// The last 20 images are held out for the synthetic validation below.
const train = images.slice(0, -20);
const held = images.slice(-20);

const model = noiseMapNet();
const graph = buildTrainingGraph(model, { batch, height: patch, width: patch, loss: 'mse' });
const session = await ort.InferenceSession.create(graph.bytes, {
  intraOpNumThreads: 2,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'extended',
});
const shapes = model.trainableWeights.map((w) => w.shape as number[]);
const params = model.trainableWeights.map((w) => Float32Array.from(w.read().dataSync()));
const adam = new Adam(params);
let firstStep = 0;
if (values.resume) {
  const saved = JSON.parse(await readFile(values.resume, 'utf8')) as { step: number; params: number[][] };
  saved.params.forEach((p, i) => params[i]!.set(p));
  firstStep = saved.step;
}
const shape = { width: patch, height: patch, channels: 3 as const };
const cells = (patch / NOISE_MAP_STRIDE) ** 2;

async function drawBatch(
  rng: SeededRandom,
  from: ImageU8[],
  kind?: NoiseMapNoise,
): Promise<{ input: Float32Array; target: Float32Array; kinds: NoiseMapNoise[] }> {
  const input = new Float32Array(batch * patch * patch * 3);
  const target = new Float32Array(batch * cells);
  const kinds: NoiseMapNoise[] = [];
  for (let b = 0; b < batch; b++) {
    const image = from[rng.int(from.length)]!;
    const maxMagnify = Number(values.magnify);
    const m = maxMagnify > 1 && rng.next() < 0.5 ? Math.exp(rng.uniform(0, Math.log(maxMagnify))) : 1;
    const region = magnifiedRegion(patch, m);
    const clean = await enlargedPatch(
      image,
      rng.int(image.width - region + 1),
      rng.int(image.height - region + 1),
      region,
      patch,
      rng.int(8) as Dihedral,
    );
    const sample = await noiseMapSample(clean, shape, rng, kind);
    input.set(sample.noisy, b * patch * patch * 3);
    target.set(sample.target, b * cells);
    kinds.push(sample.kind);
  }
  return { input, target, kinds };
}

async function predict(input: Float32Array): Promise<Float32Array> {
  model.setWeights(params.map((p, i) => tf.tensor(p, shapes[i])));
  const out = tf.tidy(() => model.predict(tf.tensor(input, [batch, patch, patch, 3])) as tf.Tensor);
  const data = out.dataSync() as Float32Array;
  out.dispose();
  return data;
}

/** Per noise kind, the mean |error| of the predicted per-patch level (median of its map) against the true patch RMS, 0..255 and in log. */
async function validate(): Promise<Record<string, { levelError: number; logError: number; meanLevel: number }>> {
  const result: Record<string, { levelError: number; logError: number; meanLevel: number }> = {};
  for (const [kind] of NOISE_MAP_MIX) {
    const rng = new SeededRandom(9000 + kind.length);
    let [levelError, logError, meanLevel, n] = [0, 0, 0, 0];
    for (let round = 0; round < 4; round++) {
      const { input, target } = await drawBatch(rng, held, kind);
      const out = await predict(input);
      for (let b = 0; b < batch; b++) {
        const truth = Math.exp(mean(target.subarray(b * cells, (b + 1) * cells)));
        const guess = Math.exp(median(out.subarray(b * cells, (b + 1) * cells)));
        levelError += Math.abs(guess - truth);
        logError += Math.abs(Math.log(guess) - Math.log(truth));
        meanLevel += truth;
        n++;
      }
    }
    result[kind] = { levelError: levelError / n, logError: logError / n, meanLevel: meanLevel / n };
  }
  return result;
}

/** The image averaged over n×n blocks (n = 1: itself). */
function boxDownscale(image: ImageU8, n: number): ImageU8 {
  if (n <= 1) return image;
  const [width, height, channels] = [Math.floor(image.width / n), Math.floor(image.height / n), image.channels];
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let dy = 0; dy < n; dy++)
          for (let dx = 0; dx < n; dx++) s += image.data[((y * n + dy) * image.width + x * n + dx) * channels + c]!;
        data[(y * width + x) * channels + c] = Math.round(s / (n * n));
      }
  return { width, height, channels, data };
}

function mean(a: Float32Array): number {
  return a.reduce((s, v) => s + v, 0) / a.length;
}
function median(a: Float32Array): number {
  const s = Float32Array.from(a).sort();
  return s[Math.floor(s.length / 2)]!;
}

const rng = new SeededRandom(Number(values.seed) * 7919 + firstStep);
let recent = 0;
for (let step = firstStep; step < steps; step++) {
  const { input, target } = await drawBatch(rng, train);
  const feeds: Record<string, ort.Tensor> = {
    [TRAIN_INPUT]: new ort.Tensor('float32', input, [batch, patch, patch, 3]),
    [TRAIN_TARGET]: new ort.Tensor('float32', target, [batch, patch / NOISE_MAP_STRIDE, patch / NOISE_MAP_STRIDE, 1]),
  };
  graph.paramInputs.forEach((name, i) => (feeds[name] = new ort.Tensor('float32', params[i]!, shapes[i]!)));
  const result = await session.run(feeds);
  const lr = 1e-5 + 0.5 * (lr0 - 1e-5) * (1 + Math.cos((Math.PI * step) / steps));
  adam.apply(
    graph.gradOutputs.map((name) => result[name]!.data as Float32Array),
    lr,
  );
  recent += (result[TRAIN_LOSS]!.data as Float32Array)[0]!;
  if ((step + 1) % 50 === 0) {
    console.error(
      `step ${step + 1}/${steps} loss ${(recent / 50).toFixed(4)} lr ${lr.toExponential(2)} ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    recent = 0;
  }
  if ((step + 1) % 200 === 0 || step + 1 === steps) {
    await mkdir('.scratch', { recursive: true });
    await writeFile(values.checkpoint, JSON.stringify({ step: step + 1, params: params.map((p) => Array.from(p)) }));
  }
}

const validation = await validate();
console.error(JSON.stringify(validation, null, 1));
model.setWeights(params.map((p, i) => tf.tensor(p, shapes[i])));
await mkdir(values.out, { recursive: true });
await writeFile(join(values.out, 'noise-map.onnx'), exportToOnnx(model));
const card = {
  id: 'noise-map',
  kind: 'noise-level map estimator',
  description:
    'Reads an RGB photo (0..1) and answers, per 4×4 cell, ln(noise level) on the 0..255 scale: the local RMS of the noise (Gaussian window of std ' +
    `${NOISE_MAP_WINDOW} px), the level clearframe's noise-level models are trained with. Auto uses the median of the map.`,
  trainedOn: `${train.length} clean photos${downscale > 1 ? ` (each averaged ${downscale}×${downscale} first)` : ''} of ${values.data.split('/').filter(Boolean).pop()} with synthetic noise only (no real noisy photo, no benchmark set)`,
  synthesis: {
    mix: Object.fromEntries(NOISE_MAP_MIX),
    cameraWide: NOISE_MAP_CAMERA_RANGES,
    gaussian: 'white, σ 0–50, clipped, 8-bit',
    gaussianCorrelated: 'σ 0–30, blur 0.3–1.5 px, channel correlation 0–0.8, 8-bit',
    levelFloor: NOISE_MAP_MIN_LEVEL,
    coverage:
      'noise RMS 0 to ≈20 on 8-bit sRGB for cameras (ISO 100 to beyond 12,800, pushed up to 2.5×), up to 50 for white noise; chroma blotches up to 4 px; JPEG q60–98, 4:2:0 and 4:4:4',
  },
  architecture: 'noise-map-net: 8 3×3 convs (16-24-32-32-48-48-48-1), ReLU, two stride-2 stages',
  params: model.countParams(),
  steps,
  batch,
  patch,
  patchesSeen: steps * batch,
  wallTimeSeconds: Math.round((Date.now() - started) / 1000),
  validation: {
    note: 'synthetic, 64 patches of 20 held-out photos per noise kind: |predicted − true| of the patch level',
    ...validation,
  },
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length },
  command: ['npx tsx scripts/train-noise-map.ts', ...process.argv.slice(2)].join(' '),
  date: new Date().toISOString(),
};
await writeFile(join(values.out, 'noise-map.card.json'), JSON.stringify(card, null, 2) + '\n');
console.error(`written ${join(values.out, 'noise-map.onnx')}`);
