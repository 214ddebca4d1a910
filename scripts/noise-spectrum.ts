// Where real noise sits in scale against the synthetic noise the photo models train on: per Haar
// level, the share of the noise's energy in luma and in colour (engine/noise-profile/noise-spectrum.ts),
// median over the real pairs of a folder (noisy/ and clean/, polyu-dev by default; checking only,
// nothing is fitted) and over seeded 256² crops of training photos with each synthetic noise, kept
// when their noise RMS falls in the real pairs' range so the two are compared at like levels. A
// simulated camera's noise is measured against its own JPEG of the clean crop: against the clean crop
// it would hold the scene detail the JPEG dropped, which is finer than any noise.
//   npx tsx scripts/noise-spectrum.ts [--pairs ../shared/data/polyu-dev] [--data ../shared/data/bsds-color-train]
//     [--crops 40] [--seed 1] [--tag T]
// Writes bench/results/noise-spectrum-<date>[-T].json and prints a markdown table.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { listRealPairs } from '../src-main/engine/infer/evaluate-real.js';
import {
  rgbNoiseSpectra,
  SPECTRUM_LEVELS,
  type NoiseSpectrum,
} from '../src-main/engine/noise-profile/noise-spectrum.js';
import { decodeImage, listImages } from '../src-main/engine/train/dataset.js';
import { quantise8 } from '../src-main/engine/train/jpeg-roundtrip.js';
import { NOISE_MAP_CAMERA_RANGES } from '../src-main/engine/train/noise-map-data.js';
import { applyNoise, simulatedCameraPair } from '../src-main/engine/train/noise.js';
import { extractPatch } from '../src-main/engine/train/patches.js';
import { SeededRandom } from '../src-main/engine/util/rng.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: join(root, '../shared/data/polyu-dev') },
    data: { type: 'string', default: join(root, '../shared/data/bsds-color-train') },
    crops: { type: 'string', default: '40' },
    seed: { type: 'string', default: '1' },
    tag: { type: 'string' },
  },
});
const SIZE = 256;
type Spectra = ReturnType<typeof rgbNoiseSpectra>;

/** noisy − clean of two decoded photos, 0–255, interleaved RGB. */
function difference(noisy: Uint8Array, clean: Uint8Array): Float64Array {
  return Float64Array.from(noisy, (v, i) => v - clean[i]!);
}

const real: Spectra[] = [];
for (const pair of await listRealPairs(values.pairs)) {
  const [noisy, clean] = [await decodeImage(pair.noisy, 3), await decodeImage(pair.clean, 3)];
  real.push(rgbNoiseSpectra(difference(noisy.data, clean.data), noisy.width, noisy.height));
}
const rmsOf = (s: Spectra): number => Math.sqrt((s.y.rms ** 2 + s.cb.rms ** 2 + s.cr.rms ** 2) / 3);
const [low, high] = [Math.min(...real.map(rmsOf)), Math.max(...real.map(rmsOf))];

type Kind = 'camera' | 'camera-wide' | 'gaussian-correlated' | 'gaussian';
/** A noisy crop and what its noise is measured against: the camera's own JPEG of the clean crop for simulated cameras (so the detail a JPEG drops from the scene is not counted as noise, as the real pairs' references are JPEGs too), else the clean crop. */
async function noisyCrop(
  clean: Float32Array,
  kind: Kind,
  rng: SeededRandom,
): Promise<{ noisy: Float32Array; target: Float32Array }> {
  const shape = { width: SIZE, height: SIZE, channels: 3 as const };
  switch (kind) {
    case 'camera':
      return simulatedCameraPair(clean, shape, rng);
    case 'camera-wide':
      return simulatedCameraPair(clean, shape, rng, NOISE_MAP_CAMERA_RANGES);
    case 'gaussian-correlated':
    case 'gaussian': {
      const part =
        kind === 'gaussian'
          ? { type: 'gaussian-range' as const, sigmaMin: 1, sigmaMax: 15 }
          : { type: kind, sigmaMin: 1, sigmaMax: 15 };
      return { noisy: quantise8((await applyNoise(clean, shape, part, rng)).noisy), target: clean };
    }
  }
}

const files = await listImages(values.data);
const synthetic: Record<Kind, Spectra[]> = { camera: [], 'camera-wide': [], 'gaussian-correlated': [], gaussian: [] };
for (const kind of Object.keys(synthetic) as Kind[]) {
  const rng = new SeededRandom(Number(values.seed) * 1_000_003 + kind.length);
  for (let tries = 0; synthetic[kind].length < Number(values.crops) && tries < 50 * Number(values.crops); tries++) {
    const photo = await decodeImage(join(values.data, files[rng.int(files.length)]!), 3);
    const clean = extractPatch(photo, rng.int(photo.width - SIZE + 1), rng.int(photo.height - SIZE + 1), SIZE);
    const { noisy, target } = await noisyCrop(clean, kind, rng);
    const spectra = rgbNoiseSpectra(
      Float64Array.from(noisy, (v, i) => (v - target[i]!) * 255),
      SIZE,
      SIZE,
    );
    const rms = rmsOf(spectra);
    if (rms >= low && rms <= high) synthetic[kind].push(spectra);
  }
}

const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2 : NaN;
};
const round = (v: number): number => Number(v.toFixed(3));
function summary(set: Spectra[]) {
  const plane = (pick: (s: Spectra) => NoiseSpectrum) => ({
    rms: round(median(set.map((s) => pick(s).rms))),
    shares: Array.from({ length: SPECTRUM_LEVELS + 1 }, (_, i) => round(median(set.map((s) => pick(s).shares[i]!)))),
  });
  return { count: set.length, y: plane((s) => s.y), cb: plane((s) => s.cb), cr: plane((s) => s.cr) };
}
const rows = {
  [`real (${values.pairs.split('/').pop()})`]: summary(real),
  ...Object.fromEntries(Object.entries(synthetic).map(([k, v]) => [`synthetic ${k}`, summary(v)])),
};
const scales = [...Array.from({ length: SPECTRUM_LEVELS }, (_, i) => `${2 ** i} px`), `≥ ${2 ** SPECTRUM_LEVELS} px`];
const lines = [
  `\n### Noise energy by scale: share per Haar level, median (crops whose Y, Cb, Cr noise RMS is in the real pairs' ${low.toFixed(1)}–${high.toFixed(1)})\n`,
  `| noise | crops | plane | RMS | ${scales.join(' | ')} |`,
  `|---|---|---|---|${scales.map(() => '---').join('|')}|`,
];
for (const [name, r] of Object.entries(rows))
  for (const plane of ['y', 'cb', 'cr'] as const)
    lines.push(
      `| ${plane === 'y' ? name : ''} | ${plane === 'y' ? r.count : ''} | ${plane === 'y' ? 'luma' : plane === 'cb' ? 'Cb' : 'Cr'} | ${r[plane].rms.toFixed(2)} | ${r[plane].shares.map((s) => s.toFixed(2)).join(' | ')} |`,
    );
const markdown = lines.join('\n');
console.log(markdown);
const date = new Date().toISOString();
const out = join(
  root,
  'bench/results',
  `noise-spectrum-${date.slice(0, 10)}${values.tag ? `-${values.tag}` : ''}.json`,
);
await mkdir(dirname(out), { recursive: true });
const command = ['npx tsx scripts/noise-spectrum.ts', ...process.argv.slice(2)].join(' ');
const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.versions.node };
await writeFile(
  out,
  JSON.stringify(
    { date, command, machine, pairs: values.pairs, data: values.data, rmsRange: [low, high], rows, markdown },
    null,
    2,
  ) + '\n',
);
console.error(`written ${out}`);
