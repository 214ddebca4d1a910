// npm run bench:quality — every registry model on Set12 and BSD68 (grey models) or CBSD68 (colour
// models) at σ 15/25/50 with a fixed seed: PSNR/SSIM, the noisy baseline, ms per megapixel, beside
// the published figures of /work/shared/data/PUBLISHED.md (parsed, never retyped).
// Options: --limit N (images per set), --sets set12,bsd68,cbsd68, --sigmas 15,25,50, --seed N,
// --model ID (only that one), --clipped (noisy inputs clipped to 0..1 as saved photos are, instead of
// the literature's unclipped float protocol). Writes bench/results/quality-<date>.json and a markdown table.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { EVAL_SEED, evaluateModel, type EvaluationSummary } from '../src-main/engine/infer/evaluate-model.js';
import { ModelRegistry } from '../src-main/engine/models/registry.js';
import { defaultRegistryDirs } from '../src-main/settings/model-dirs.js';
import { expandImageArgs } from '../src-main/engine/io/image-args.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(root, '../shared/data');
const { values } = parseArgs({
  options: {
    limit: { type: 'string' },
    sets: { type: 'string' },
    sigmas: { type: 'string' },
    seed: { type: 'string' },
    model: { type: 'string' },
    clipped: { type: 'boolean' },
  },
});
const limit = values.limit ? Number(values.limit) : Infinity;
const sets = (values.sets ?? 'set12,bsd68,cbsd68').split(',');
const sigmas = (values.sigmas ?? '15,25,50').split(',').map(Number);
const seed = values.seed === undefined ? EVAL_SEED : Number(values.seed);

const SET_INFO: Record<string, { heading: string; channels: 1 | 3; label: string }> = {
  set12: { heading: 'Grayscale: Set12', channels: 1, label: 'Set12' },
  bsd68: { heading: 'Grayscale: BSD68', channels: 1, label: 'BSD68' },
  cbsd68: { heading: 'Color: CBSD68', channels: 3, label: 'CBSD68' },
};

/** Published PSNR per method and σ from one "## <heading>" table of PUBLISHED.md. */
export function publishedTable(
  markdown: string,
  heading: string,
): Array<{ method: string; psnr: Record<number, number> }> {
  const section = markdown.split(/^## /m).find((s) => s.startsWith(heading));
  if (!section) return [];
  const lines = section.split('\n').filter((l) => l.startsWith('|'));
  const header = lines[0]?.split('|').map((c) => c.trim()) ?? [];
  const sigmaCols = header.map((h) => Number(/^s=(\d+)$/.exec(h)?.[1] ?? NaN));
  return lines.slice(2).map((line) => {
    const cells = line.split('|').map((c) => c.trim());
    const psnr: Record<number, number> = {};
    cells.forEach((cell, i) => {
      const sigma = sigmaCols[i];
      const value = Number(/^(\d+\.\d+)/.exec(cell)?.[1] ?? NaN);
      if (sigma !== undefined && !Number.isNaN(sigma) && !Number.isNaN(value)) psnr[sigma] = value;
    });
    return { method: cells[1] ?? '', psnr };
  });
}

const published = await readFile(join(dataDir, 'PUBLISHED.md'), 'utf8');
const registry = new ModelRegistry(defaultRegistryDirs());
const models = (await registry.list()).filter((m) => !values.model || m.card.id === values.model);
if (models.length === 0)
  console.error(`No models found (looked in ${registry.dirs.shippedDir} and ${registry.dirs.userDir}).`);

interface Row extends Omit<EvaluationSummary, 'images'> {
  model: string;
  set: string;
  images: number;
}
const rows: Row[] = [];
for (const summary of models) {
  const model = await registry.open(summary);
  for (const set of sets) {
    const info = SET_INFO[set];
    if (!info || info.channels !== summary.card.channels) continue;
    const { files } = await expandImageArgs([join(dataDir, set)]);
    for (const sigma of sigmas) {
      const result = await evaluateModel(model, files.slice(0, limit), { sigma, seed, clip: values.clipped ?? false });
      const { images, ...mean } = result;
      rows.push({ model: summary.card.id, set: info.label, images: images.length, ...mean });
      console.error(
        `${summary.card.id} ${info.label} σ${sigma}: ${mean.psnr.toFixed(2)} dB / ${mean.ssim.toFixed(4)} (noisy ${mean.noisyPsnr.toFixed(2)}), ${mean.msPerMegapixel.toFixed(0)} ms/MP`,
      );
    }
  }
  await model.runtime.dispose();
}

const lines: string[] = [];
for (const set of sets) {
  const info = SET_INFO[set];
  if (!info) continue;
  lines.push(
    `\n### ${info.label} (PSNR dB / SSIM; seed ${seed}${Number.isFinite(limit) ? `, first ${limit} images` : ''})\n`,
  );
  lines.push(
    `| model | ${sigmas.map((s) => `σ ${s}`).join(' | ')} | ms/MP |`,
    `|---|${sigmas.map(() => '---').join('|')}|---|`,
  );
  const noisy = sigmas.map((s) => rows.find((r) => r.set === info.label && r.sigma === s));
  if (noisy.some(Boolean))
    lines.push(
      `| noisy input | ${noisy.map((r) => (r ? `${r.noisyPsnr.toFixed(2)} / ${r.noisySsim.toFixed(3)}` : '—')).join(' | ')} | |`,
    );
  for (const id of [...new Set(rows.filter((r) => r.set === info.label).map((r) => r.model))]) {
    const mine = sigmas.map((s) => rows.find((r) => r.set === info.label && r.sigma === s && r.model === id));
    const ms = mine.find(Boolean)?.msPerMegapixel;
    lines.push(
      `| **${id}** | ${mine.map((r) => (r ? `${r.psnr.toFixed(2)} / ${r.ssim.toFixed(3)}` : '—')).join(' | ')} | ${ms?.toFixed(0) ?? ''} |`,
    );
  }
  for (const p of publishedTable(published, info.heading)) {
    lines.push(`| ${p.method} (published) | ${sigmas.map((s) => p.psnr[s]?.toFixed(2) ?? '—').join(' | ')} | |`);
  }
}
const markdown = lines.join('\n');
console.log(markdown);
const date = new Date().toISOString();
await mkdir(join(root, 'bench/results'), { recursive: true });
// A partial run (one model, a few images) gets its own file instead of replacing the full table.
const suffix = `${values.model ? `-${values.model}` : ''}${Number.isFinite(limit) ? `-first${limit}` : ''}${values.clipped ? '-clipped' : ''}`;
const out = join(root, 'bench/results', `quality-${date.slice(0, 10)}${suffix}.json`);
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  platform: `${process.platform}-${process.arch}`,
  loadavgAtEnd: loadavg(),
};
const versions = {
  node: process.versions.node,
  onnxruntime: (await import('onnxruntime-node')).env.versions.node,
  sharp: sharp.versions.sharp,
};
const command = ['npm run bench:quality', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
  ' ',
);
await writeFile(
  out,
  JSON.stringify(
    {
      date,
      command,
      machine,
      versions,
      seed,
      sigmas,
      clipped: values.clipped ?? false,
      limit: Number.isFinite(limit) ? limit : null,
      rows,
      markdown,
    },
    null,
    2,
  ) + '\n',
);
console.error(`written ${out}`);
