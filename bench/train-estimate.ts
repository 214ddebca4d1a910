// `npm run bench:train-estimate`: does the Train view's estimate agree with a run's own pace? Runs
// `estimateTraining` for a recipe, then the recipe itself (the real trainer: data loading, step-0 and
// early validations, exports, the int8 version), and writes both with their ratio to
// bench/results/train-estimate-<date>.json. The recipe is the Train view's Quick one on colour photos
// (the default recipe with the Quick preset's fields, from clearframe-photo) cut to --steps steps.
// A benchmark, not a test: figures vary with the machine's load, so both are measured back to back.
//   flags: --data DIR (default ../shared/data/bsds-color-train, its first --images)  --images N (12)
//          --steps N (60)  --workers N (0: every core)
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_RECIPE, TrainConfig } from '../src-shared/schemas/train.js';
import { TRAIN_PRESETS } from '../src-shared/schemas/train-presets.js';
import { estimateTraining } from '../src-main/engine/train/estimate.js';
import { runTraining } from '../src-main/engine/train/trainer.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: path.resolve(import.meta.dirname, '../../shared/data/bsds-color-train') },
    images: { type: 'string', default: '12' },
    steps: { type: 'string', default: '60' },
    workers: { type: 'string', default: '0' },
  },
});

const tmp = mkdtempSync(path.join(os.tmpdir(), 'clearframe-estimate-'));
const photos = path.join(tmp, 'photos');
mkdirSync(photos);
const names = readdirSync(values.data)
  .filter((n) => /\.(png|jpe?g|tiff?|webp)$/i.test(n))
  .sort()
  .slice(0, Number(values.images));
for (const n of names) symlinkSync(path.join(values.data, n), path.join(photos, n));

const config = TrainConfig.parse({
  data: photos,
  init: path.resolve(import.meta.dirname, '../assets/models/clearframe-photo'),
  ...DEFAULT_RECIPE,
  ...TRAIN_PRESETS.quick.recipe,
  epochs: 1,
  stepsPerEpoch: Number(values.steps),
  workers: Number(values.workers),
  out: path.join(tmp, 'run'),
});

try {
  let started = performance.now();
  const estimate = await estimateTraining(config);
  const estimateSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const phases: Record<string, number> = {};
  let last = performance.now();
  let lastPhase = 'loading';
  const result = await runTraining(config, {
    runId: 'bench',
    onProgress: (p) => {
      const now = performance.now();
      phases[lastPhase] = (phases[lastPhase] ?? 0) + (now - last) / 1000;
      [last, lastPhase] = [now, p.phase];
    },
  });
  const runSeconds = (performance.now() - started) / 1000;
  const record = {
    date: new Date().toISOString(),
    machine: `${os.cpus()[0]?.model.trim()}, ${os.availableParallelism()} cores`,
    node: process.version,
    recipe: {
      ...config,
      data: `${path.basename(values.data)} (${names.length} images)`,
      out: undefined,
      init: 'clearframe-photo',
    },
    estimate: { ...estimate, measuredInSeconds: estimateSeconds },
    run: {
      phase: result.phase,
      steps: result.step,
      seconds: runSeconds,
      secondsByPhase: phases,
      int8: result.card?.quantized
        ? { psnr: result.card.quantized.psnr, floatPsnr: result.card.quantized.floatPsnr }
        : null,
    },
    estimateOverRun: estimate.totalSeconds / runSeconds,
  };
  const out = path.resolve(import.meta.dirname, 'results', `train-estimate-${record.date.slice(0, 10)}.json`);
  writeFileSync(out, JSON.stringify(record, null, 2) + '\n');
  console.log(
    `estimate ${estimate.totalSeconds.toFixed(1)} s (${estimate.secondsPerStep.toFixed(2)} s/step), run ${runSeconds.toFixed(1)} s: estimate/run ${record.estimateOverRun.toFixed(3)} → ${out}`,
  );
  console.log(phases);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
