// npm run bench:speed — how fast the seed DCAE runs here, and what the rest of the pipeline costs.
//   1. forward pass 1×256×256×1: ONNX Runtime vs tfjs-wasm vs tfjs-cpu (median of runs)
//   2. end to end on a 12-MP JPEG (decode + tiles + encode) vs the network compute inside it
//   3. the same 12-MP JPEG through the shipped default colour model (the registry's default), float
//      and int8 interleaved in one run (ABBA rounds), so a machine that is busy with something else
//      slows both alike and the ratio stays fair. int8 is the model's model.int8.onnx when its card's
//      guard passed; when it did not, a shipped model of the same architecture's int8 (same network
//      and operators, so the same speed) is timed instead and the table says so.
//   4. the providers: which GPU providers this machine really has (tried on a model). One with a real
//      GPU is timed on part 3's photo; an emulated adapter (SwiftShader) or none is reported as
//      'no real GPU' rather than timed as GPU speed.
// Writes bench/results/speed-<date>.json and prints a table. Options: --skip-cpu (tfjs-cpu takes
// ~20 s a pass), --runs N, --only-default (part 3 only), --megapixels N (part 3's photo, default 12),
// --rounds N (float/int8 pairs, default 2). Random weights for 1–2: speed does not depend on training.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src-main/engine/infer/tfjs-backend.js';
import { exportToOnnx } from '../src-main/engine/onnx/onnx-export.js';
import {
  createOnnxRuntime,
  createTfjsRuntime,
  runtimeLabel,
  type InferenceRuntime,
  type NhwcTensor,
} from '../src-main/engine/infer/runtime.js';
import { architectures, dcae } from '../src-main/engine/models/architectures.js';
import { saveModelFolder } from '../src-main/engine/models/model-folder.js';
import { ModelRegistry } from '../src-main/engine/models/registry.js';
import { ModelCache } from '../src-main/engine/jobs/model-cache.js';
import { denoiseFile } from '../src-main/engine/jobs/denoise-file.js';
import { usableInt8Model } from '../src-main/engine/models/registry.js';
import { probeProviders } from '../src-main/engine/models/provider-probe.js';
import { webgpuAdapter } from '../src-main/engine/infer/gpu-adapter.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(root, '../shared/data');
const { values } = parseArgs({
  options: {
    'skip-cpu': { type: 'boolean' },
    runs: { type: 'string' },
    'only-default': { type: 'boolean' },
    megapixels: { type: 'string' },
    rounds: { type: 'string' },
  },
});
const runs = Number(values.runs ?? 10);
const onlyDefault = values['only-default'] === true;
const megapixels = Number(values.megapixels ?? 12);
const rounds = Number(values.rounds ?? 2);

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
const input: NhwcTensor = {
  data: Float32Array.from({ length: 256 * 256 }, (_, i) => ((i * 7919) % 256) / 255),
  shape: [1, 256, 256, 1],
};
await initBackend('wasm');
const grey = dcae({ channels: 1 });
const forward: Record<string, { ms: number; runs: number; provider: string }> = {};

if (!onlyDefault) {
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
}

// End to end: a 12-MP colour JPEG made from a real photo, a 3-channel DCAE (one pass, not three).
const work = await mkdtemp(join(tmpdir(), 'cf-bench-speed-'));
const photo = join(work, 'photo-12mp.jpg');
await sharp(join(dataDir, 'cbsd68/101085.png')).resize(4000, 3000).jpeg({ quality: 92 }).toFile(photo);
// Part 3's photo: the same picture at --megapixels (4:3).
const defaultPhoto = join(work, `photo-${megapixels}mp.jpg`);
const side = Math.sqrt((megapixels * 1e6) / 12);
await sharp(join(dataDir, 'cbsd68/101085.png'))
  .resize(Math.round(4 * side), Math.round(3 * side))
  .jpeg({ quality: 92 })
  .toFile(defaultPhoto);
const { output, noiseLevelInput, sizeMultiple } = architectures.dcae;
await saveModelFolder(
  dcae({ channels: 3 }),
  {
    id: 'bench-dcae-rgb',
    name: 'seed DCAE (random weights, colour)',
    architecture: 'dcae',
    channels: 3,
    output,
    noiseLevelInput,
    sizeMultiple,
    trainingNoise: { type: 'gaussian', sigma: 25 },
    patchSize: 64,
    trainingData: 'none',
    steps: 0,
    backend: 'none',
    metrics: [],
    createdAt: new Date().toISOString(),
  },
  join(work, 'models', 'bench-dcae-rgb'),
);
/** Denoises the 12-MP photo with `modelId` the way a batch job does; network time counted apart. */
async function endToEnd(cache: ModelCache, modelId: string, file = photo, mp = 12, outName = modelId) {
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
  await denoiseFile(
    file,
    cache,
    { modelId, strength: 1, outDir: join(work, `out-${outName}`) },
    { onTiles: (d) => (tiles = d) },
  );
  const endToEndMs = performance.now() - started;
  (model.runtime as { run: InferenceRuntime['run'] }).run = innerRun;
  await rm(join(work, `out-${outName}`), { recursive: true, force: true });
  return {
    model: modelId,
    flopsPerPixel: model.card.flopsPerPixel,
    megapixels: mp,
    tiles,
    seconds: endToEndMs / 1000,
    networkSeconds: networkMs / 1000,
    ratio: endToEndMs / networkMs,
    runtime: runtimeLabel(model.runtime),
    provider: model.runtime.provider,
    precision: model.runtime.precision,
  };
}

let seedEndToEnd: Awaited<ReturnType<typeof endToEnd>> | undefined;
if (!onlyDefault) {
  const cache = new ModelCache(new ModelRegistry({ shippedDir: join(work, 'models'), userDir: join(work, 'none') }));
  seedEndToEnd = await endToEnd(cache, 'bench-dcae-rgb');
  await cache.dispose();
}
// The model a user gets by default for a colour photo, in float and in int8, alternating float/int8
// and int8/float rounds on the same photo.
const shippedDirs = { shippedDir: join(root, 'assets/models'), userDir: join(work, 'none') };
const shipped = new ModelRegistry(shippedDirs);
const defaultModel = await shipped.defaultFor(3);
const sameArchInt8 = (await shipped.list()).find(
  (m) => m.card.channels === 3 && m.card.architecture === defaultModel.card.architecture && usableInt8Model(m),
);
const int8Model = usableInt8Model(defaultModel) ? defaultModel : sameArchInt8;
const int8Note =
  int8Model === defaultModel
    ? undefined
    : `${defaultModel.card.id} has no int8 model that passed its guard${int8Model ? `; int8 timed on ${int8Model.card.id} (same architecture, ${int8Model.card.architecture})` : ''}`;
if (int8Note) console.error(int8Note);
const floatCache = new ModelCache(new ModelRegistry(shippedDirs, { precision: 'float32' }));
const int8Cache = new ModelCache(new ModelRegistry(shippedDirs, { precision: 'auto' }));
const defaultRuns: Record<'float32' | 'int8', Array<Awaited<ReturnType<typeof endToEnd>>>> = { float32: [], int8: [] };
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? (['float32', 'int8'] as const) : (['int8', 'float32'] as const);
  for (const precision of order) {
    if (precision === 'int8' && !int8Model) continue;
    const id = precision === 'int8' ? int8Model!.card.id : defaultModel.card.id;
    const run = await endToEnd(
      precision === 'int8' ? int8Cache : floatCache,
      id,
      defaultPhoto,
      megapixels,
      `default-${precision}`,
    );
    defaultRuns[precision].push(run);
    console.error(
      `${id} ${megapixels} MP round ${r + 1} ${run.runtime}: ${run.seconds.toFixed(1)} s (network ${run.networkSeconds.toFixed(1)} s)`,
    );
  }
}
// GPU providers: tried on a model; a real adapter is timed once, an emulated one or none is said so.
const providers = (await probeProviders(shipped)).filter((p) => p.id !== 'onnxruntime:cpu' && p.available);
const gpu: { provider: string; adapter?: string; seconds?: number; note: string }[] = [];
for (const p of providers) {
  const name = p.id.split(':')[1]!;
  const adapter = name === 'webgpu' ? webgpuAdapter() : undefined;
  if (adapter?.emulated) {
    gpu.push({
      provider: p.id,
      adapter: adapter.name,
      note: 'no real GPU: the adapter is emulated on the CPU, not timed',
    });
    continue;
  }
  const gpuCache = new ModelCache(new ModelRegistry(shippedDirs, { precision: 'float32', providers: [name] }));
  const run = await endToEnd(gpuCache, defaultModel.card.id, defaultPhoto, megapixels, `gpu-${name}`);
  await gpuCache.dispose();
  gpu.push({
    provider: p.id,
    ...(p.adapter ? { adapter: p.adapter } : {}),
    seconds: run.seconds,
    note: `${run.runtime}, network ${run.networkSeconds.toFixed(1)} s`,
  });
}
const noGpu = gpu.every((g) => g.seconds === undefined);
await floatCache.dispose();
await int8Cache.dispose();
await rm(work, { recursive: true, force: true });
const medianRun = (xs: Array<Awaited<ReturnType<typeof endToEnd>>>) => ({
  ...xs[0]!,
  seconds: median(xs.map((x) => x.seconds)),
  networkSeconds: median(xs.map((x) => x.networkSeconds)),
  rounds: xs.map((x) => x.seconds),
});
const defaultFloat = medianRun(defaultRuns.float32);
const defaultInt8 = defaultRuns.int8.length ? medianRun(defaultRuns.int8) : undefined;
const defaultEndToEnd = {
  ...defaultFloat,
  ...(defaultInt8
    ? {
        int8: defaultInt8,
        int8Speedup: defaultFloat.seconds / defaultInt8.seconds,
        int8NetworkSpeedup: defaultFloat.networkSeconds / defaultInt8.networkSeconds,
        target: 1.8,
      }
    : {}),
  ...(int8Note ? { int8Note } : {}),
};

const result = {
  date: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    availableParallelism: threads,
    platform: `${process.platform}-${process.arch}`,
  },
  versions: {
    node: process.versions.node,
    onnxruntime: (await import('onnxruntime-node')).env.versions.node,
    tfjs: tf.version_core,
    sharp: sharp.versions.sharp,
    vips: sharp.versions.vips,
  },
  threads: { onnxruntimeIntraOp: threads, tfjsWasm: 1 },
  load: {
    loadAverage1m: loadavg()[0],
    note: 'float and int8 rounds are interleaved: compare them as a ratio when the machine was busy',
  },
  ...(onlyDefault
    ? {}
    : {
        forward256: forward,
        speedupOnnxVsWasm: forward['tfjs-wasm']!.ms / forward['onnxruntime']!.ms,
        endToEnd12mp: { ...seedEndToEnd, target: 1.15 },
      }),
  defaultModel12mp: defaultEndToEnd,
  gpu: noGpu
    ? {
        note: `no real GPU${gpu.length ? ` (${gpu.map((g) => `${g.provider}: ${g.adapter ?? g.note}`).join('; ')})` : ''}`,
        providers: gpu,
      }
    : { providers: gpu },
};
await mkdir(join(root, 'bench/results'), { recursive: true });
const out = join(
  root,
  'bench/results',
  `speed-${result.date.slice(0, 10)}${onlyDefault ? `-int8-${megapixels}mp` : ''}.json`,
);
await writeFile(out, JSON.stringify(result, null, 2) + '\n');

console.log(`\nClearframe speed — ${result.machine.cpu}, ${result.machine.cores} cores, ORT ${threads} threads\n`);
if (!onlyDefault) {
  console.log('| seed DCAE forward 1×256×256 | ms (median) | vs ONNX Runtime |\n|---|---|---|');
  for (const [name, r] of Object.entries(forward))
    console.log(
      `| ${name} (${r.provider}, ${r.runs} runs) | ${r.ms.toFixed(1)} | ${(r.ms / forward['onnxruntime']!.ms).toFixed(1)}× |`,
    );
  const e = seedEndToEnd!;
  console.log(
    `\n| 12-MP JPEG end to end | seconds |\n|---|---|\n| decode + ${e.tiles} tiles + encode | ${e.seconds.toFixed(1)} |\n| network compute inside it | ${e.networkSeconds.toFixed(1)} |\n| ratio (target ≤ 1.15) | ${e.ratio.toFixed(3)}× |`,
  );
}
const d = result.defaultModel12mp;
console.log(
  `\nDefault colour model (${d.model}, ${(d.flopsPerPixel ?? 0) / 1000} kFLOP/px), a ${megapixels}-MP JPEG end to end, median of ${rounds} interleaved rounds:`,
);
if (int8Note) console.log(`(${int8Note})`);
console.log('| model | precision | provider | seconds | network s | vs float |\n|---|---|---|---|---|---|');
for (const x of defaultInt8 ? [d, defaultInt8] : [d])
  console.log(
    `| ${x.model} | ${x.precision} | ${x.runtime} | ${x.seconds.toFixed(1)} | ${x.networkSeconds.toFixed(1)} | ${(d.seconds / x.seconds).toFixed(2)}× |`,
  );
for (const g of gpu)
  console.log(
    `| ${d.model} | float32 | ${g.provider}${g.adapter ? ` (${g.adapter})` : ''} | ${g.seconds === undefined ? '—' : g.seconds.toFixed(1)} | ${g.note} | |`,
  );
if (noGpu) console.log(`GPU: ${result.gpu.note ?? 'no real GPU'}`);
console.log(`\nwritten ${out}`);
