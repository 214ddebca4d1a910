// Which level a model does best at, per unit of the noise's RMS, depending on the content under the
// noise. The same synthetic noises (the photo recipe's simulated cameras, white and correlated
// Gaussian at RMS 3–6, like polyu-dev's real noise) are added to three kinds of clean content:
// crops of training photos as they hold them (bsds-color-train), the same enlarged like a
// full-resolution photo (train/full-resolution-content.ts), and polyu-dev's clean references (the
// means of ~500 shots: real full-resolution content with no noise; read here only to check, nothing
// is fitted on them). Each noisy crop is denoised (int8, the app's tile path) at factors × its RMS;
// the factor that scores best is the crop's. A diagnostic for Auto: it tells whether real photos'
// higher best level comes from their noise or from their content.
//   nice -n 10 npx tsx scripts/level-vs-content.ts [--model clearframe-photo] [--crops 20] [--size 320]
//     [--data ../shared/data/bsds-color-train] [--real ../shared/data/polyu-dev] [--magnify 4] [--seed 1]
// Writes bench/results/level-vs-content-<date>.json.
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resultMachine, resultVersions } from '../bench/result-meta.js';
import { denoiseTiled } from '../src-main/engine/infer/denoise-tiled.js';
import { listRealPairs } from '../src-main/engine/infer/evaluate-real.js';
import { psnr } from '../src-main/engine/infer/metrics.js';
import { metricsRaster } from '../src-main/engine/infer/metrics-raster.js';
import { runtimeLabel } from '../src-main/engine/infer/runtime.js';
import type { Pixels } from '../src-main/engine/io/pixels.js';
import { ModelRegistry } from '../src-main/engine/models/registry.js';
import { decodeImage, listImages } from '../src-main/engine/train/dataset.js';
import { enlargedPatch, magnifiedRegion } from '../src-main/engine/train/full-resolution-content.js';
import { toBytes } from '../src-main/engine/train/jpeg-roundtrip.js';
import { applyNoise, type SyntheticNoise } from '../src-main/engine/train/noise.js';
import { SeededRandom } from '../src-main/engine/util/rng.js';
import { defaultRegistryDirs } from '../src-main/settings/model-dirs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'clearframe-photo' },
    crops: { type: 'string', default: '20' },
    size: { type: 'string', default: '320' },
    data: { type: 'string', default: join(root, '../shared/data/bsds-color-train') },
    real: { type: 'string', default: join(root, '../shared/data/polyu-dev') },
    magnify: { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
  },
});
const [cropCount, size, magnify, seed] = [values.crops, values.size, values.magnify, values.seed].map(Number) as [
  number,
  number,
  number,
  number,
];

/** Multiples of each crop's noise RMS it is denoised at. */
const FACTORS = [0.7, 0.85, 1, 1.2, 1.4, 1.7, 2];
const NOISES: Record<string, SyntheticNoise> = {
  camera: { type: 'camera' },
  white: { type: 'gaussian-range', sigmaMin: 3, sigmaMax: 6 },
  correlated: { type: 'gaussian-correlated', sigmaMin: 3, sigmaMax: 6 },
};
type Content = 'training photo' | 'training photo enlarged' | 'real reference';

/** The top-left region² of a photo made size², as 0..1 RGB floats (references are 512²; training photos 481×321). */
async function cropOf(file: string, region: number): Promise<Float32Array> {
  const photo = await decodeImage(file, 3);
  if (photo.width < region || photo.height < region) throw new Error(`${file} is smaller than ${region}²`);
  return enlargedPatch(photo, 0, 0, region, size);
}

function clean(content: Content, index: number, files: string[], refs: string[]): Promise<Float32Array> {
  switch (content) {
    case 'training photo':
      return cropOf(files[(index * 7) % files.length]!, size);
    case 'training photo enlarged':
      return cropOf(files[(index * 7) % files.length]!, magnifiedRegion(size, magnify));
    case 'real reference':
      return cropOf(refs[index % refs.length]!, size);
  }
}

const toPixels = (data: Float32Array): Pixels => ({
  width: size,
  height: size,
  channels: 3,
  scale: 255,
  data: toBytes(data),
});

const registry = new ModelRegistry(defaultRegistryDirs(), { precision: 'auto', threads: 2 });
const summary = (await registry.list()).find((m) => m.card.id === values.model);
if (!summary) throw new Error(`No model "${values.model}"`);
const model = await registry.open(summary);
const runtime = runtimeLabel(model.runtime);
const files = (await listImages(values.data)).map((f) => join(values.data, f));
// Every other reference: the 40 are 20 scenes, two or three shots each.
const refs = (await listRealPairs(values.real)).filter((_, i) => i % 2 === 0).map((p) => p.clean);

const rows: { content: Content; noise: string; crop: number; rms: number; bestFactor: number; psnr: number[] }[] = [];
for (const content of ['training photo', 'training photo enlarged', 'real reference'] as Content[]) {
  for (let index = 0; index < cropCount; index++) {
    const reference = await clean(content, index, files, refs);
    const target = metricsRaster(toPixels(reference));
    for (const [noise, spec] of Object.entries(NOISES)) {
      const rng = new SeededRandom(seed * 1_000_003 + index * 7919);
      const { noisy, sigma: rms } = await applyNoise(reference, { width: size, height: size, channels: 3 }, spec, rng);
      const noisyPixels = toPixels(noisy);
      const scores: number[] = [];
      for (const factor of FACTORS)
        scores.push(psnr(metricsRaster(await denoiseTiled(noisyPixels, model, { noiseLevel: factor * rms })), target));
      const bestFactor = FACTORS[scores.indexOf(Math.max(...scores))]!;
      rows.push({ content, noise, crop: index, rms: round(rms), bestFactor, psnr: scores.map((p) => round(p)) });
      console.error(
        `${content}, ${noise}, crop ${index + 1}/${cropCount}: RMS ${rms.toFixed(2)}, best ${bestFactor} × RMS`,
      );
    }
  }
}
await model.runtime.dispose();

function round(v: number, digits = 3): number {
  return Number(v.toFixed(digits));
}
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
const summaryRows = [...new Set(rows.map((r) => `${r.content}|${r.noise}`))].map((key) => {
  const [content, noise] = key.split('|') as [Content, string];
  const set = rows.filter((r) => r.content === content && r.noise === noise);
  return {
    content,
    noise,
    crops: set.length,
    medianBestFactor: median(set.map((r) => r.bestFactor)),
    meanBestFactor: round(mean(set.map((r) => r.bestFactor))),
    medianRms: round(median(set.map((r) => r.rms))),
  };
});
const date = new Date().toISOString();
const result = {
  date,
  command: ['npx tsx scripts/level-vs-content.ts', ...process.argv.slice(2)].join(' '),
  machine: resultMachine(),
  versions: await resultVersions(),
  model: values.model,
  runtime,
  size,
  magnify,
  seed,
  factors: FACTORS,
  noises: NOISES,
  summary: summaryRows,
  rows,
};
console.table(summaryRows);
const out = join(root, 'bench/results', `level-vs-content-${date.slice(0, 10)}.json`);
await writeFile(out, JSON.stringify(result, null, 2) + '\n');
console.error(`written ${out}`);
