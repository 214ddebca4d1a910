// `npm run bench:train`: training throughput (patches/s, batch 16 of 64×64 grey, one Adam step) for
// the seed DCAE and dcae-res on ONNX Runtime's training graph (1 and 2 threads), on each tfjs
// backend this machine has with 1 and 2 gradient workers, and on wasm with the built-in gradient
// kernels ("before") vs ours. If PyTorch is installed
// (Debian: python3-torch) the same step runs there as the reference. Writes
// bench/results/train-<date>.json and prints a table. A benchmark, not a test: figures vary with load.
//   flags: --steps N (timed steps per cell, default 3)  --cpu (also the cpu backend, at batch 2: slow)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { probeNativeBackends, type TfBackendId } from '../src-main/engine/infer/tfjs-backend.js';
import type { GradientEngine } from '../src-main/engine/train/gradient-engine.js';
import { GradientPool } from '../src-main/engine/train/tfjs/gradient-pool.js';
import { OrtTrainer } from '../src-main/engine/train/ort/ort-trainer.js';
import type { NetSpec } from '../src-main/engine/train/training-state.js';
import type { ArchitectureId } from '../src-shared/schemas/models.js';

const { values } = parseArgs({
  options: { steps: { type: 'string', default: '3' }, cpu: { type: 'boolean', default: false } },
});
const timedSteps = Number(values.steps);
const PATCH = 64;

interface Cell {
  backend: string;
  arch: ArchitectureId;
  /** Gradient workers (tfjs) or intra-op threads (ONNX Runtime). */
  workers: number;
  kernels: 'clearframe' | 'builtin' | 'native' | 'onnx-graph';
  batch: number;
  secondsPerStep: number;
  patchesPerSecond: number;
}

async function measure(
  backend: TfBackendId | 'onnxruntime',
  arch: ArchitectureId,
  workers: number,
  kernels: Cell['kernels'],
  batch: number,
  steps: number,
): Promise<Cell> {
  if (kernels === 'builtin') process.env.CLEARFRAME_WASM_GRADIENTS = 'builtin';
  else delete process.env.CLEARFRAME_WASM_GRADIENTS; // workers copy the environment at start
  const spec: NetSpec = { arch, channels: 1, loss: 'mse', weightDecay: 0 };
  const pool: GradientEngine =
    backend === 'onnxruntime'
      ? await OrtTrainer.start(spec, undefined, workers)
      : await GradientPool.start(workers, spec, undefined, backend);
  try {
    const n = batch * PATCH * PATCH;
    const input = new Float32Array(n).map((_, i) => ((i * 2654435761) % 1000) / 1000);
    const target = new Float32Array(n).fill(0.05);
    const shape: [number, number, number, number] = [batch, PATCH, PATCH, 1];
    await pool.step(input, target, shape, shape, 1e-4); // warm-up: kernels, operator caches
    const start = performance.now();
    for (let i = 0; i < steps; i++) await pool.step(input, target, shape, shape, 1e-4);
    await pool.state(); // the last update has been applied
    const secondsPerStep = (performance.now() - start) / 1000 / steps;
    return {
      backend: pool.backend,
      arch,
      workers,
      kernels,
      batch,
      secondsPerStep,
      patchesPerSecond: batch / secondsPerStep,
    };
  } finally {
    await pool.close();
  }
}

/** Debian's python3-torch lives with /usr/bin/python3, which a pyenv or venv `python3` may shadow. */
function torchReference(): Record<string, number | string> | undefined {
  const script = path.join(import.meta.dirname, 'torch_reference.py');
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      return JSON.parse(
        execFileSync(python, [script, '2'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
      ) as Record<string, number | string>;
    } catch {
      // not there, or no torch for this interpreter: try the next
    }
  }
  return undefined;
}

const natives = (await probeNativeBackends())
  .filter((p) => p.available && (p.id === 'tfjs-node' || p.id === 'tfjs-node-gpu'))
  .map((p) => p.id);
const cells: Cell[] = [];
for (const arch of ['dcae', 'dcae-res'] as const) {
  for (const threads of [1, 2]) cells.push(await measure('onnxruntime', arch, threads, 'onnx-graph', 16, timedSteps));
  for (const backend of natives) cells.push(await measure(backend, arch, 1, 'native', 16, timedSteps));
  for (const workers of [1, 2]) cells.push(await measure('wasm', arch, workers, 'clearframe', 16, timedSteps));
  cells.push(await measure('wasm', arch, 1, 'builtin', 16, Math.max(1, Math.ceil(timedSteps / 2))));
  if (values.cpu) cells.push(await measure('cpu', arch, 1, 'native', 2, 1));
}
const torch = torchReference();
const date = new Date().toISOString();
const result = {
  date,
  host: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadavg: os.loadavg() },
  patch: PATCH,
  cells,
  torch: torch ?? null,
};
const dir = path.join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `train-${date.slice(0, 19).replace(/:/g, '-')}.json`);
writeFileSync(file, JSON.stringify(result, null, 2));

console.log(
  `\nTraining throughput, batch ${16} of ${PATCH}×${PATCH} grey (load average at the end: ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')})`,
);
console.log('arch      backend          kernels     threads  batch  s/step   patches/s  PyTorch ÷ this');
for (const c of cells) {
  const ref = torch ? Number(torch[c.arch]) : undefined;
  const ratio = ref ? `${(ref / c.patchesPerSecond).toFixed(2)}` : '—';
  console.log(
    `${c.arch.padEnd(9)} ${c.backend.padEnd(16)} ${c.kernels.padEnd(11)} ${String(c.workers).padStart(7)}  ${String(c.batch).padStart(5)}  ${c.secondsPerStep.toFixed(2).padStart(6)}  ${c.patchesPerSecond.toFixed(2).padStart(9)}  ${ratio}`,
  );
}
if (torch)
  console.log(
    `PyTorch ${torch.torch} CPU (${torch.threads} threads): dcae ${Number(torch.dcae).toFixed(1)} patches/s, dcae-res ${Number(torch['dcae-res']).toFixed(1)} patches/s`,
  );
else console.log('PyTorch reference: not installed (Debian: apt-get install python3-torch)');
console.log(`→ ${path.relative(process.cwd(), file)}`);
