// npm run bench:speed — how fast the seed DCAE runs here, and what the rest of the pipeline costs.
//   1. forward pass 1×256×256×1: ONNX Runtime vs tfjs-wasm vs tfjs-cpu (median of runs)
//   2. end to end on a 12-MP JPEG (decode + tiles + encode) vs the network compute inside it
//   3. the same 12-MP JPEG through the shipped default colour model (clearframe-colour)
// Writes bench/results/speed-<date>.json and prints a table. Options: --skip-cpu (tfjs-cpu takes
// ~20 s a pass), --runs N. Random weights: speed does not depend on training.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src-main/engine/backend.js';
import { exportToOnnx } from '../src-main/engine/infer/onnx-export.js';
import { createOnnxRuntime, createTfjsRuntime, type InferenceRuntime, type NhwcTensor } from '../src-main/engine/infer/runtime.js';
import { dcae } from '../src-main/engine/models/architectures.js';
import { saveModelFolder } from '../src-main/engine/models/model-folder.js';
import { ModelRegistry } from '../src-main/engine/models/registry.js';
import { ModelCache } from '../src-main/engine/jobs/model-cache.js';
import { denoiseFile } from '../src-main/engine/jobs/denoise-file.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(root, '../shared/data');
const { values } = parseArgs({ options: { 'skip-cpu': { type: 'boolean' }, runs: { type: 'string' } } });
const runs = Number(values.runs ?? 10);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timeRuns(runtime: InferenceRuntime, input: NhwcTensor, n: number, warmup: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await runtime.run(input);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await runtime.run(input);
    times.push(performance.now() - t);
  }
  return median(times);
}

const threads = availableParallelism();
const input: NhwcTensor = { data: Float32Array.from({ length: 256 * 256 }, (_, i) => ((i * 7919) % 256) / 255), shape: [1, 256, 256, 1] };
await initBackend('wasm');
const grey = dcae({ channels: 1 });
const forward: Record<string, { ms: number; runs: number; provider: string }> = {};

const ort = await createOnnxRuntime(exportToOnnx(grey), { threads });
forward['onnxruntime'] = { ms: await timeRuns(ort, input, runs, 2), runs, provider: ort.provider };
await ort.dispose();
console.error(`onnxruntime: ${forward['onnxruntime'].ms.toFixed(1)} ms`);

const wasmRuns = Math.max(1, Math.ceil(runs / 3));
const wasm = await createTfjsRuntime(grey);
forward['tfjs-wasm'] = { ms: await timeRuns(wasm, input, wasmRuns, 1), runs: wasmRuns, provider: wasm.provider };
console.error(`tfjs-wasm: ${forward['tfjs-wasm'].ms.toFixed(1)} ms`);
if (!values['skip-cpu']) {
  await initBackend('cpu');
  const cpu: InferenceRuntime = { ...wasm, provider: 'cpu' };
  forward['tfjs-cpu'] = { ms: await timeRuns(cpu, input, 1, 0), runs: 1, provider: 'cpu' };
  console.error(`tfjs-cpu: ${forward['tfjs-cpu'].ms.toFixed(1)} ms`);
  await initBackend('wasm');
}

// End to end: a 12-MP colour JPEG made from a real photo, a 3-channel DCAE (one pass, not three).
const work = await mkdtemp(join(tmpdir(), 'cf-bench-speed-'));
const photo = join(work, 'photo-12mp.jpg');
await sharp(join(dataDir, 'cbsd68/101085.png')).resize(4000, 3000).jpeg({ quality: 92 }).toFile(photo);
await saveModelFolder(dcae({ channels: 3 }), {
  id: 'bench-dcae-rgb', name: 'seed DCAE (random weights, colour)', architecture: 'dcae', channels: 3, output: 'clean', noiseLevelInput: false,
  sizeMultiple: 4, trainingNoise: { type: 'gaussian', sigma: 25 }, patchSize: 64, trainingData: 'none', steps: 0, backend: 'none',
  metrics: [], createdAt: new Date().toISOString(),
}, join(work, 'models', 'bench-dcae-rgb'));
/** Denoises the 12-MP photo with `modelId` the way a batch job does; network time counted apart. */
async function endToEnd(cache: ModelCache, modelId: string) {
  const { model } = await cache.get(modelId, 3);
  // Count the time spent inside the network, around the very runtime the pipeline uses.
  let networkMs = 0;
  const innerRun = model.runtime.run.bind(model.runtime);
  (model.runtime as { run: InferenceRuntime['run'] }).run = async (x) => {
    const t = performance.now();
    try {
      return await innerRun(x);
    } finally {
      networkMs += performance.now() - t;
    }
  };
  const started = performance.now();
  let tiles = 0;
  await denoiseFile(photo, cache, { modelId, strength: 1, outDir: join(work, `out-${modelId}`), onTiles: (d) => (tiles = d) });
  const endToEndMs = performance.now() - started;
  const runtime = `${model.runtime.runtime}:${model.runtime.provider}`;
  return { model: modelId, flopsPerPixel: model.card.flopsPerPixel, megapixels: 12, tiles, seconds: endToEndMs / 1000, networkSeconds: networkMs / 1000, ratio: endToEndMs / networkMs, runtime };
}

const cache = new ModelCache(new ModelRegistry({ shippedDir: join(work, 'models'), userDir: join(work, 'none') }));
const seedEndToEnd = await endToEnd(cache, 'bench-dcae-rgb');
await cache.dispose();
// The model a user gets by default for a colour photo: the shipped clearframe-colour.
const shippedCache = new ModelCache(new ModelRegistry({ shippedDir: join(root, 'assets/models'), userDir: join(work, 'none') }));
const defaultEndToEnd = await endToEnd(shippedCache, 'clearframe-colour');
await shippedCache.dispose();
await rm(work, { recursive: true, force: true });

const result = {
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, availableParallelism: threads, platform: `${process.platform}-${process.arch}` },
  versions: { node: process.versions.node, onnxruntime: (await import('onnxruntime-node')).env.versions.node, tfjs: tf.version_core, sharp: sharp.versions.sharp, vips: sharp.versions.vips },
  threads: { onnxruntimeIntraOp: threads, tfjsWasm: 1 },
  forward256: forward,
  speedupOnnxVsWasm: forward['tfjs-wasm']!.ms / forward['onnxruntime']!.ms,
  endToEnd12mp: { ...seedEndToEnd, target: 1.15 },
  defaultModel12mp: defaultEndToEnd,
};
await mkdir(join(root, 'bench/results'), { recursive: true });
const out = join(root, 'bench/results', `speed-${result.date.slice(0, 10)}.json`);
await writeFile(out, JSON.stringify(result, null, 2) + '\n');

console.log(`\nClearframe speed — ${result.machine.cpu}, ${result.machine.cores} cores, ORT ${threads} threads\n`);
console.log('| seed DCAE forward 1×256×256 | ms (median) | vs ONNX Runtime |\n|---|---|---|');
for (const [name, r] of Object.entries(forward)) console.log(`| ${name} (${r.provider}, ${r.runs} runs) | ${r.ms.toFixed(1)} | ${(r.ms / forward['onnxruntime']!.ms).toFixed(1)}× |`);
const e = result.endToEnd12mp;
console.log(`\n| 12-MP JPEG end to end | seconds |\n|---|---|\n| decode + ${e.tiles} tiles + encode | ${e.seconds.toFixed(1)} |\n| network compute inside it | ${e.networkSeconds.toFixed(1)} |\n| ratio (target ≤ ${e.target}) | ${e.ratio.toFixed(3)}× |`);
const d = result.defaultModel12mp;
console.log(`\nDefault colour model (${d.model}, ${(d.flopsPerPixel ?? 0) / 1000} kFLOP/px): a 12-MP JPEG end to end in ${d.seconds.toFixed(1)} s (network ${d.networkSeconds.toFixed(1)} s, ${d.runtime})`);
console.log(`\nwritten ${out}`);
