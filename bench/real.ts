// npm run bench:real — real camera noise: polyu-dev (40 real noisy shots, the mean of ~500 shots as
// the clean reference) through the CLI's path (decode → model → PNG) for every shipped/registered
// model, with the noise level on Auto and at fixed levels, beside the noisy input, and for noise-level
// models the per-photo oracle: each photo at the fixed level that scored best on it, the headroom a
// perfect Auto would reach among those levels. Validation only: nothing here feeds training or
// fits a constant. Options: --limit N, --model ID, --levels auto,2,4,8 (noise-level models: auto is
// the app's Auto, the learned estimator when assets/models/noise-map.onnx is shipped; auto:G is the
// Haar heuristic with gain G on correlated noise, auto:1.5 its shipped gain; rms tells each photo its own
// noise's RMS against the clean reference, what a perfect noise meter would read, rms:K K times it),
// --quality max, --tag T (added to the result file's name). Writes bench/results/real-<date>.json and a
// markdown table.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resultMachine, resultVersions } from './result-meta.js';
import {
  evaluateRealPairs,
  listRealPairs,
  perPhotoOracle,
  type OracleSummary,
  type RealLevel,
  type RealSummary,
} from '../src-main/engine/infer/evaluate-real.js';
import { runtimeLabel } from '../src-main/engine/infer/runtime.js';
import { ModelRegistry } from '../src-main/engine/models/registry.js';
import { defaultRegistryDirs } from '../src-main/settings/model-dirs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    limit: { type: 'string' },
    model: { type: 'string' },
    levels: { type: 'string' },
    quality: { type: 'string' },
    data: { type: 'string' },
    tag: { type: 'string' },
  },
});
const folder = values.data ?? join(root, '../shared/data/polyu-dev');
const pairs = (await listRealPairs(folder)).slice(0, values.limit ? Number(values.limit) : undefined);
/** A level setting: a number, 'auto', 'auto:G' (Auto with correlated-noise gain G), 'rms' or 'rms:K' (K × the photo's true noise RMS). */
type LevelSetting = { noiseLevel: RealLevel; autoGain?: number; referenceGain?: number; label: string };
const levels: LevelSetting[] = (values.levels ?? 'auto,rms,2,3,4,5,6,7,8,9,11,14').split(',').map((l) => {
  if (l === 'auto') return { noiseLevel: 'auto', label: 'auto' };
  if (l.startsWith('auto:')) return { noiseLevel: 'auto', autoGain: Number(l.slice(5)), label: l };
  if (l === 'rms') return { noiseLevel: 'reference', label: l };
  if (l.startsWith('rms:')) return { noiseLevel: 'reference', referenceGain: Number(l.slice(4)), label: l };
  return { noiseLevel: Number(l), label: l };
});
const quality = values.quality === 'max' ? 'max' : 'normal';

const registry = new ModelRegistry(defaultRegistryDirs());
const models = (await registry.list()).filter((m) => !values.model || m.card.id === values.model);
interface Row extends Omit<RealSummary, 'images'> {
  model: string;
  /** What ran the network: "onnxruntime:cpu", "onnxruntime:cpu:int8" (CLEARFRAME_PRECISION=float32 forces float)… */
  runtime: string;
  setting: string;
  images: RealSummary['images'];
}
const rows: Row[] = [];
const oracles: (OracleSummary & { model: string; runtime: string })[] = [];
for (const summary of models) {
  const model = await registry.open(summary);
  const runs: RealSummary[] = [];
  // A model without a level input gives one answer whatever the level: measure it once.
  for (const level of summary.card.noiseLevelInput ? levels : levels.slice(0, 1)) {
    const result = await evaluateRealPairs(model, pairs, {
      noiseLevel: level.noiseLevel,
      quality,
      ...(level.autoGain === undefined ? {} : { autoGain: level.autoGain }),
      ...(level.referenceGain === undefined ? {} : { referenceGain: level.referenceGain }),
    });
    runs.push(result);
    rows.push({ model: summary.card.id, runtime: runtimeLabel(model.runtime), setting: level.label, ...result });
    const levelsUsed = result.images.map((i) => i.level).filter((l) => l !== undefined);
    const auto =
      typeof level.noiseLevel !== 'number' && levelsUsed.length
        ? ` (levels ${Math.min(...levelsUsed).toFixed(1)}–${Math.max(...levelsUsed).toFixed(1)})`
        : '';
    console.error(
      `${summary.card.id} (${runtimeLabel(model.runtime)}) level ${level.label}${auto}: ${result.psnr.toFixed(2)} dB / ${result.ssim.toFixed(4)} (noisy ${result.noisyPsnr.toFixed(2)})`,
    );
  }
  const oracle = summary.card.noiseLevelInput ? perPhotoOracle(runs) : undefined;
  if (oracle) {
    oracles.push({ model: summary.card.id, runtime: runtimeLabel(model.runtime), ...oracle });
    console.error(
      `${summary.card.id} per-photo oracle over levels ${oracle.levels.join(', ')}: ${oracle.psnr.toFixed(2)} dB / ${oracle.ssim.toFixed(4)}`,
    );
  }
  await model.runtime.dispose();
}

const header = (l: string): string =>
  l === 'auto'
    ? 'Auto'
    : l.startsWith('auto:')
      ? `heuristic Auto, gain ${l.slice(5)}`
      : l === 'rms'
        ? 'true noise RMS'
        : l.startsWith('rms:')
          ? `${l.slice(4)} × true noise RMS`
          : `level ${l}`;
const lines = [
  `\n### polyu-dev, real camera noise (${pairs.length} crops; PSNR dB / SSIM${quality === 'max' ? '; quality max' : ''})\n`,
  `| model | ${levels.map((l) => header(l.label)).join(' | ')} | per-photo oracle | Auto − oracle |`,
  `|---|${levels.map(() => '---').join('|')}|---|---|`,
];
if (rows[0])
  lines.push(
    `| noisy input | ${[`${rows[0].noisyPsnr.toFixed(2)} / ${rows[0].noisySsim.toFixed(3)}`, ...levels.slice(1).map(() => ''), '', ''].join(' | ')} |`,
  );
for (const id of [...new Set(rows.map((r) => r.model))]) {
  const cell = (l: LevelSetting) => {
    const r = rows.find((row) => row.model === id && row.setting === l.label);
    return r ? `${r.psnr.toFixed(2)} / ${r.ssim.toFixed(3)}` : '—';
  };
  const runtime = rows.find((r) => r.model === id)!.runtime;
  const oracle = oracles.find((o) => o.model === id);
  // The app's Auto, else the first heuristic Auto asked for.
  const auto =
    rows.find((row) => row.model === id && row.setting === 'auto') ??
    rows.find((row) => row.model === id && row.setting.startsWith('auto'));
  const headroom = oracle && auto ? (auto.psnr - oracle.psnr).toFixed(2) : '—';
  lines.push(
    `| **${id}** (${runtime}) | ${levels.map(cell).join(' | ')} | ${oracle ? `${oracle.psnr.toFixed(2)} / ${oracle.ssim.toFixed(3)}` : '—'} | ${headroom} |`,
  );
}
if (oracles.length)
  lines.push(
    '',
    `Per-photo oracle: each photo at the fixed level (of ${oracles[0]!.levels.join(', ')}) that scored best on it.`,
  );
if (levels.some((l) => l.noiseLevel === 'reference'))
  lines.push(
    '',
    'True noise RMS: each photo told the RMS of its noisy − clean difference, what a perfect noise meter would read (a diagnostic: only the clean reference tells it).',
  );
const markdown = lines.join('\n');
console.log(markdown);
const date = new Date().toISOString();
await mkdir(join(root, 'bench/results'), { recursive: true });
const int8 = rows.some((r) => r.runtime.endsWith(':int8'));
const suffix = `${values.model ? `-${values.model}` : ''}${int8 ? '-int8' : ''}${values.limit ? `-first${values.limit}` : ''}${quality === 'max' ? '-max' : ''}${values.tag ? `-${values.tag}` : ''}`;
const out = join(root, 'bench/results', `real-${date.slice(0, 10)}${suffix}.json`);
const machine = resultMachine();
const versions = await resultVersions();
const command = ['npm run bench:real', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
await writeFile(
  out,
  JSON.stringify(
    { date, command, machine, versions, data: folder, levels, quality, rows, oracles, markdown },
    null,
    2,
  ) + '\n',
);
console.error(`written ${out}`);
