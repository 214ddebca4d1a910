// npm run bench:camera — "Teach Clearframe your camera" on polyu-dev's two cameras (Canon EOS 5D
// Mark II, 29 crops; Canon EOS 600D, 11; grouped by file name, as the crops carry no EXIF). For each
// camera its NOISY photos stand in for the user's library: profiled against clearframe-photo, the
// camera-profile noise fitted on smooth synthetic scenes, clearframe-photo fine-tuned with
// `--preset camera` on bsds-color-train (the user's clean photos), and the result quantised to int8
// as the app runs it. No clean polyu image is read until scoring: then each camera's pairs are scored
// with the level on Auto by the shipped model, the camera's fitted model and the other camera's.
// Trainings run one after the other. Writes bench/results/camera-<date>.json and an SVG of the
// noise-level curves (measured vs fitted). Options: --epochs N (default the preset's), --only PREFIX,
// --tag NAME (added to the file names).
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { TrainConfig } from '../src-shared/schemas/train.js';
import {
  evaluateRealPairs,
  listRealPairs,
  type RealPair,
  type RealSummary,
} from '../src-main/engine/infer/evaluate-real.js';
import { createOnnxRuntime, runtimeLabel } from '../src-main/engine/infer/runtime.js';
import type { RunnableModel } from '../src-main/engine/infer/denoise-tiled.js';
import { readCard } from '../src-main/engine/models/model-folder.js';
import { quantizeOnnx } from '../src-main/engine/models/quantize-model.js';
import { ModelRegistry } from '../src-main/engine/models/registry.js';
import { CAMERA_PRESET, cameraTrainConfig } from '../src-shared/schemas/camera.js';
import { profileAndFit, recipeFile, type CameraFit } from '../src-main/engine/noise-profile/camera-recipe.js';
import type { NoiseStats } from '../src-main/engine/noise-profile/measure-noise.js';
import { calibrationNoise } from '../src-main/engine/train/calibration-noise.js';
import { runTraining } from '../src-main/engine/train/trainer.js';
import { defaultRegistryDirs } from '../src-main/settings/model-dirs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { epochs: { type: 'string' }, only: { type: 'string' }, data: { type: 'string' }, tag: { type: 'string' } },
});
const dataRoot = values.data ?? join(root, '../shared/data');
const polyu = join(dataRoot, 'polyu-dev');
const cleanPhotos = join(dataRoot, 'bsds-color-train');
const CAMERAS: Record<string, string> = { Canon5D2: 'Canon EOS 5D Mark II', Canon600D: 'Canon EOS 600D' };
/** Camera and ISO from a polyu file name: <camera>_<f-number>_<shutter>_<ISO>_<scene>_<n>.JPG. */
const factsFromName = (file: string) => ({
  camera: CAMERAS[file.split('_')[0]!] ?? file.split('_')[0]!,
  iso: Number(file.split('_')[3]),
});

const registry = new ModelRegistry(defaultRegistryDirs());
const photoSummary = await registry.resolve('clearframe-photo', 3);
const shipped = await registry.open(photoSummary);
const shippedRuntime = runtimeLabel(shipped.runtime);
const scratch = await mkdtemp(join(tmpdir(), 'clearframe-bench-camera-'));

interface Fitted {
  prefix: string;
  camera: string;
  fitted: CameraFit;
  model: RunnableModel;
  runtime: string;
  seconds: { profile: number; fit: number; train: number; quantize: number; total: number };
  train: {
    steps: number;
    keptStep: number;
    valPsnr?: number;
    keptValPsnr?: number;
    startValPsnr?: number;
    autoFloor?: number;
  };
}

const pairsByCamera = new Map<string, RealPair[]>();
for (const pair of await listRealPairs(polyu)) {
  const prefix = pair.name.split('_')[0]!;
  pairsByCamera.set(prefix, [...(pairsByCamera.get(prefix) ?? []), pair]);
}
const prefixes = [...pairsByCamera.keys()].filter((p) => !values.only || p === values.only);
const fittedModels: Fitted[] = [];

for (const prefix of prefixes) {
  const started = performance.now();
  // The user's folder: this camera's noisy photos only (links; the clean references stay out of reach).
  const folder = join(scratch, `${prefix}-photos`);
  await mkdir(folder);
  for (const pair of pairsByCamera.get(prefix)!) await symlink(pair.noisy, join(folder, pair.name));
  const fitted = await profileAndFit(folder, {
    model: shipped,
    fallbackFacts: factsFromName,
    onPhoto: (d, t) => d === t && console.error(`${prefix}: profiled ${t} photos`),
  });
  const file = recipeFile(fitted.camera, fitted.fit);
  console.error(
    `${prefix}: ${JSON.stringify(file.noise)} distance ${JSON.stringify(file.distance)} (profile ${fitted.seconds.profile.toFixed(0)} s, fit ${fitted.seconds.fit.toFixed(0)} s)`,
  );
  const out = join(scratch, `${prefix}-run`);
  const trainStarted = performance.now();
  const config = TrainConfig.parse({
    ...cameraTrainConfig(file.noise, {
      data: cleanPhotos,
      out,
      init: photoSummary.folder,
      measuredRms: fitted.camera.stats.overallRms,
      baseName: photoSummary.card.name,
    }),
    ...(values.epochs ? { epochs: Number(values.epochs) } : {}),
  });
  let lastLogged = 0;
  const result = await runTraining(config, {
    runId: prefix,
    onProgress: (p) => {
      if (p.phase === 'training' && p.step - lastLogged < 50) return;
      lastLogged = p.step;
      console.error(
        `${prefix}: ${p.phase} step ${p.step}/${p.totalSteps}${p.loss === undefined ? '' : ` loss ${p.loss.toExponential(3)}`}${p.valPsnr === undefined ? '' : ` val ${p.valPsnr.toFixed(2)} dB`}`,
      );
    },
  });
  const trainSeconds = (performance.now() - trainStarted) / 1000;
  // int8 as the app runs it: calibrated on the clean photos with the camera's fitted noise.
  const quantizeStarted = performance.now();
  const card = await readCard(out);
  const noise = calibrationNoise(card.trainingNoise);
  const int8 = await quantizeOnnx(
    new Uint8Array(await readFile(join(out, 'model.onnx'))),
    card,
    cleanPhotos,
    noise ? { calibrationOptions: { noise } } : {},
  );
  const runtime = await createOnnxRuntime(int8, { providers: ['cpu'] });
  const quantizeSeconds = (performance.now() - quantizeStarted) / 1000;
  const total = (performance.now() - started) / 1000;
  fittedModels.push({
    prefix,
    camera: fitted.camera.camera,
    fitted,
    model: { card, runtime },
    runtime: `${runtimeLabel(runtime)}:int8`,
    seconds: {
      profile: fitted.seconds.profile,
      fit: fitted.seconds.fit,
      train: trainSeconds,
      quantize: quantizeSeconds,
      total,
    },
    train: {
      steps: result.step,
      // The weights the run kept (its best validation on the camera's fitted noise) and the start's figure.
      keptStep: card.steps,
      ...(result.valPsnr === undefined ? {} : { valPsnr: result.valPsnr }),
      ...(card.metrics[0] ? { keptValPsnr: card.metrics[0].psnr } : {}),
      ...(card.startedFrom ? { startValPsnr: card.startedFrom.psnr } : {}),
      // The lowest level Auto tells the fitted model, measured by the run on the fitted noise (train/auto-floor.ts).
      ...(card.autoFloor === undefined ? {} : { autoFloor: card.autoFloor }),
    },
  });
  console.error(
    `${prefix}: whole path ${total.toFixed(0)} s (train ${trainSeconds.toFixed(0)} s, ${result.step} steps)`,
  );
}

// Scoring: the only place the clean references are read.
type Score = Omit<RealSummary, 'images'> & { images: RealSummary['images'] };
const score = (model: RunnableModel, pairs: RealPair[]): Promise<Score> =>
  evaluateRealPairs(model, pairs, { noiseLevel: 'auto' });
const rows = [];
for (const prefix of prefixes) {
  const pairs = pairsByCamera.get(prefix)!;
  const own = fittedModels.find((f) => f.prefix === prefix)!;
  const other = fittedModels.find((f) => f.prefix !== prefix);
  const base = await score(shipped, pairs);
  const fitted = await score(own.model, pairs);
  const crossed = other ? await score(other.model, pairs) : undefined;
  const summary = (s: Score) => ({ psnr: s.psnr, ssim: s.ssim, images: s.images });
  rows.push({
    camera: own.camera,
    prefix,
    crops: pairs.length,
    noisy: { psnr: base.noisyPsnr, ssim: base.noisySsim },
    shipped: summary(base),
    fitted: summary(fitted),
    gain: fitted.psnr - base.psnr,
    ...(crossed && other
      ? { otherCameraModel: { camera: other.camera, ...summary(crossed), gain: crossed.psnr - base.psnr } }
      : {}),
    seconds: own.seconds,
    train: own.train,
    profile: {
      isos: own.fitted.camera.isos,
      photos: own.fitted.camera.photos.length,
      jpegQuality: own.fitted.camera.jpegQuality,
      chroma420: own.fitted.camera.chroma420,
      stats: own.fitted.camera.stats,
    },
    recipe: own.fitted.fit.recipe,
    distance: own.fitted.fit.distance,
    levelCurve: own.fitted.fit.levelCurve,
    synthetic: own.fitted.fit.measured,
  });
  console.error(
    `${prefix}: shipped ${base.psnr.toFixed(2)}, fitted ${fitted.psnr.toFixed(2)} (${(fitted.psnr - base.psnr).toFixed(2)} dB)${crossed ? `, other camera's model ${crossed.psnr.toFixed(2)}` : ''}`,
  );
}

const f2 = (n: number) => n.toFixed(2);
const lines = [
  `\n### Your camera: polyu-dev per camera (PSNR dB / SSIM, level Auto; shipped ${shippedRuntime}, fitted int8)\n`,
  "| camera | crops | noisy | clearframe-photo | fitted (own camera) | gain | other camera's fitted model | profile + fit + train + int8 |",
  '|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.camera} | ${r.crops} | ${f2(r.noisy.psnr)} | ${f2(r.shipped.psnr)} / ${r.shipped.ssim.toFixed(3)} | ${f2(r.fitted.psnr)} / ${r.fitted.ssim.toFixed(3)} | ${r.gain >= 0 ? '+' : ''}${f2(r.gain)} | ` +
      `${r.otherCameraModel ? `${f2(r.otherCameraModel.psnr)} (${r.otherCameraModel.gain >= 0 ? '+' : ''}${f2(r.otherCameraModel.gain)})` : '—'} | ` +
      `${r.seconds.total.toFixed(0)} s (${r.seconds.profile.toFixed(0)} + ${r.seconds.fit.toFixed(0)} + ${r.seconds.train.toFixed(0)} + ${r.seconds.quantize.toFixed(0)}) |`,
  ),
];
const markdown = lines.join('\n');
console.log(markdown);

/** The noise-level curves (G channel solid, R and B thin) of the photos and of the fitted synthetic noise. */
function curvePlot(
  series: Array<{ label: string; colour: string; measured: NoiseStats; synthetic: NoiseStats }>,
): string {
  // T: the top margin holds one legend line per series, above the curves.
  const [W, H, L, B, T] = [640, 420, 50, 40, 28 + 18 * series.length];
  const maxRms =
    Math.max(1, ...series.flatMap((s) => [...s.measured.curve, ...s.synthetic.curve].flatMap((p) => p.rms))) * 1.1;
  const x = (level: number) => L + (level / 255) * (W - L - 20);
  const y = (rms: number) => H - B - (rms / maxRms) * (H - B - T);
  const path = (stats: NoiseStats, c: number) =>
    stats.curve.map((p, i) => `${i ? 'L' : 'M'}${x(p.level).toFixed(1)},${y(p.rms[c]!).toFixed(1)}`).join(' ');
  const body = series.flatMap((s, k) => [
    ...[0, 1, 2].map(
      (c) => `<path d="${path(s.measured, c)}" fill="none" stroke="${s.colour}" stroke-width="${c === 1 ? 2.5 : 1}"/>`,
    ),
    ...[0, 1, 2].map(
      (c) =>
        `<path d="${path(s.synthetic, c)}" fill="none" stroke="${s.colour}" stroke-dasharray="6 4" stroke-width="${c === 1 ? 2.5 : 1}"/>`,
    ),
    `<text x="${W - 20}" y="${20 + 18 * k}" text-anchor="end" fill="${s.colour}" font-size="13">${s.label}: photos (solid), fitted noise (dashed)</text>`,
  ]);
  const ticks = [0, 64, 128, 192, 255].map((v) => `<text x="${x(v) - 8}" y="${H - B + 18}" font-size="12">${v}</text>`);
  const yTicks = [0, 1, 2, 3, 4, 5, 6]
    .filter((v) => v < maxRms)
    .map((v) => `<text x="${L - 22}" y="${y(v) + 4}" font-size="12">${v}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif"><rect width="${W}" height="${H}" fill="white"/>`,
    `<path d="M${L},${T} V${H - B} H${W - 20}" stroke="black" fill="none"/>`,
    `<text x="${W / 2 - 120}" y="${H - 5}" font-size="13">brightness (0–255; G thick, R and B thin)</text>`,
    `<text x="12" y="${H / 2}" font-size="13" transform="rotate(-90 12 ${H / 2})">noise RMS (0–255)</text>`,
    ...ticks,
    ...yTicks,
    ...body,
    '</svg>',
  ].join('\n');
}

const date = new Date().toISOString();
await mkdir(join(root, 'bench/results'), { recursive: true });
const stem = join(
  root,
  'bench/results',
  `camera-${date.slice(0, 10)}${values.only ? `-${values.only}` : ''}${values.epochs ? `-epochs${values.epochs}` : ''}${values.tag ? `-${values.tag}` : ''}`,
);
const svg = curvePlot(
  rows.map((r, k) => ({
    label: r.camera,
    colour: ['#c0392b', '#2e86c1'][k % 2]!,
    measured: r.profile.stats,
    synthetic: r.synthetic,
  })),
);
await writeFile(`${stem}-nlf.svg`, svg);
await sharp(Buffer.from(svg)).png().toFile(`${stem}-nlf.png`);
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
const command = ['npm run bench:camera', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
  ' ',
);
const preset = { ...CAMERA_PRESET, ...(values.epochs ? { epochs: Number(values.epochs) } : {}) };
await writeFile(
  `${stem}.json`,
  JSON.stringify(
    {
      date,
      command,
      machine,
      versions,
      shipped: { model: shipped.card.id, runtime: shippedRuntime },
      cleanPhotos,
      preset,
      rows,
      markdown,
    },
    null,
    2,
  ) + '\n',
);
console.error(`written ${stem}.json, ${stem}-nlf.svg/.png`);
for (const f of fittedModels) await f.model.runtime.dispose();
await shipped.runtime.dispose();
await rm(scratch, { recursive: true, force: true });
