// npx tsx bench/arch-speed.ts [--runs 5] [--tile 512] [--calibration DIR] — a candidate architecture's
// network time beside dcae-res-nl's, in float and int8 (the app's quantiser, calibrated on
// bsds-color-train), on one tile, interleaved rounds on the CPU provider so a busy machine slows all
// alike; the ratio is the figure, not the milliseconds. Weights are a fresh seeded net's (speed does
// not depend on training). Writes bench/results/arch-speed-<date>.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import type { ArchitectureId, ModelCard } from '../src-shared/schemas/models.js';
import { initBackend } from '../src-main/engine/infer/tfjs-backend.js';
import { createOnnxRuntime, type InferenceRuntime } from '../src-main/engine/infer/runtime.js';
import { architectures, buildArchitecture } from '../src-main/engine/models/architectures.js';
import { quantizeOnnx } from '../src-main/engine/models/quantize-model.js';
import { probeTile } from '../src-main/engine/models/registry.js';
import { exportToOnnx } from '../src-main/engine/onnx/onnx-export.js';
import { modelCost } from '../src-main/engine/train/model-cost.js';
import { seededInitialState } from '../src-main/engine/train/initial-state.js';
import { CAMERA_NOISE_RECIPE } from '../src-shared/schemas/train.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    tile: { type: 'string', default: '512' },
    calibration: { type: 'string' },
    arch: { type: 'string', default: 'dcae-res4-nl' },
  },
});
const calibration = values.calibration ?? join(root, '../shared/data/bsds-color-train');
const ids: ArchitectureId[] = ['dcae-res-nl', values.arch as ArchitectureId];
await initBackend('cpu');

interface Entry {
  arch: ArchitectureId;
  params: number;
  flopsPerPixel: number;
  float: InferenceRuntime;
  int8: InferenceRuntime;
  card: ModelCard;
  floatMs: number[];
  int8Ms: number[];
}
const entries: Entry[] = [];
for (const arch of ids) {
  const model = buildArchitecture(arch, 3);
  const { weights } = await seededInitialState({ arch, channels: 3, loss: 'mse', weightDecay: 0 }, 1);
  model.setWeights(weights.map((w, i) => tf.tensor(w, model.weights[i]!.shape as number[])));
  const { output, noiseLevelInput, sizeMultiple } = architectures[arch];
  const card = {
    id: arch,
    channels: 3,
    output,
    noiseLevelInput,
    sizeMultiple,
    architecture: arch,
    trainingNoise: CAMERA_NOISE_RECIPE,
  } as unknown as ModelCard;
  const onnx = exportToOnnx(model);
  const int8 = await quantizeOnnx(onnx, card, calibration, { calibrationOptions: { patches: 64 } });
  entries.push({
    arch,
    ...modelCost(model),
    float: await createOnnxRuntime(onnx, { providers: ['cpu'] }),
    int8: await createOnnxRuntime(int8, { providers: ['cpu'] }),
    card,
    floatMs: [],
    int8Ms: [],
  });
  model.dispose();
}
const side = Number(values.tile);
const time = async (runtime: InferenceRuntime, card: ModelCard): Promise<number> => {
  const tile = probeTile(card, side);
  const started = performance.now();
  await runtime.run(tile);
  return performance.now() - started;
};
for (const e of entries) {
  await time(e.float, e.card);
  await time(e.int8, e.card);
}
for (let round = 0; round < Number(values.runs); round++) {
  for (const e of entries) {
    e.floatMs.push(await time(e.float, e.card));
    e.int8Ms.push(await time(e.int8, e.card));
  }
}
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const rows = entries.map((e) => ({
  arch: e.arch,
  params: e.params,
  flopsPerPixel: e.flopsPerPixel,
  floatMs: median(e.floatMs),
  int8Ms: median(e.int8Ms),
  floatRuns: e.floatMs,
  int8Runs: e.int8Ms,
}));
const [base, candidate] = rows as [(typeof rows)[0], (typeof rows)[0]];
const ratios = {
  flops: candidate.flopsPerPixel / base.flopsPerPixel,
  float: candidate.floatMs / base.floatMs,
  int8: candidate.int8Ms / base.int8Ms,
};
for (const r of rows)
  console.log(
    `${r.arch}: ${(r.params / 1e6).toFixed(2)} M weights, ${(r.flopsPerPixel / 1000).toFixed(1)} kFLOP/px, ${side}² tile float ${r.floatMs.toFixed(0)} ms, int8 ${r.int8Ms.toFixed(0)} ms`,
  );
console.log(
  `${candidate.arch} / ${base.arch}: FLOPs ${ratios.flops.toFixed(2)}x, float ${ratios.float.toFixed(2)}x, int8 ${ratios.int8.toFixed(2)}x`,
);
for (const e of entries) {
  await e.float.dispose();
  await e.int8.dispose();
}
const date = new Date().toISOString();
const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), loadavgAtEnd: loadavg() };
await mkdir(join(root, 'bench/results'), { recursive: true });
const out = join(root, 'bench/results', `arch-speed-${date.slice(0, 10)}-${candidate.arch}.json`);
await writeFile(
  out,
  JSON.stringify(
    {
      date,
      command: ['npx tsx bench/arch-speed.ts', ...process.argv.slice(2)].join(' '),
      machine,
      tile: side,
      rows,
      ratios,
    },
    null,
    2,
  ) + '\n',
);
console.error(`written ${out}`);
