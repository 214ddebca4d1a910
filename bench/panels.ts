// npm run bench:panels — the README's "What the models do" images. For every shipped model: a test
// card of our own (rendered here from SVG, so it may be committed, unlike the benchmark photos) with
// seeded Gaussian noise in float, denoised through the app's engine path (registry → runtime →
// denoiseTiled, the true σ given to noise-level models), shown as noisy | denoised | clean with PSNR
// in the labels: docs/images/panel-<id>.png. Where /work/shared/data is present it also writes the
// same panel for a crop of the first BSD68 (grey) or CBSD68 (colour) image into bench/results/panels/,
// which git ignores: that data may not be redistributed.
// The card is byte-identical from run to run for a given sharp/librsvg and set of fonts.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { ModelCard } from '../src-shared/schemas/models.js';
import { expandImageArgs } from '../src-main/engine/io/image-args.js';
import { denoiseTiled } from '../src-main/engine/infer/denoise-tiled.js';
import { addSeededGaussianNoise, loadCleanImage } from '../src-main/engine/infer/evaluate-model.js';
import { metricsRaster } from '../src-main/engine/infer/metrics-raster.js';
import { autoNoiseLevel } from '../src-main/engine/infer/noise-estimate.js';
import { decodeImage } from '../src-main/engine/io/decode.js';
import { to8BitSamples, type Pixels } from '../src-main/engine/io/pixels.js';
import { cropPixels } from '../src-main/engine/jobs/preview.js';
import { psnr } from '../src-main/engine/infer/metrics.js';
import { ModelRegistry, type LoadedModel } from '../src-main/engine/models/registry.js';
import { defaultRegistryDirs } from '../src-main/settings/model-dirs.js';
import { testCardSvg } from '../test/helpers/test-card.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(root, '../shared/data');
const docsDir = join(root, 'docs/images');
const localDir = join(root, 'bench/results/panels');

const PHOTO_CROP = 256;
/** Every model sees the same noise (seed 0), so panels of models at one σ compare like for like. */
const NOISE_SEED = 0;
const LABEL_HEIGHT = 22;
/** The polyu-dev photo the real-noise panels show (ISO 6400, the noisiest of the set). */
const REAL_PHOTO = 'Canon5D2_5_160_6400_circuit_11.JPG';
const GAP = 4;
const BACKGROUND = '#1e1e1e';

/** The card as float pixels: RGB for colour models, its grey conversion (as sharp makes it) for grey ones. */
async function renderTestCard(channels: 1 | 3): Promise<Pixels> {
  const pipeline = sharp(Buffer.from(testCardSvg()))
    .removeAlpha()
    .toColourspace(channels === 1 ? 'b-w' : 'srgb');
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    channels: info.channels,
    scale: 1,
    data: Float32Array.from(data, (v) => v / 255),
  };
}

/** The σ a panel uses: the model's own for single-σ models (dcae-seed-s25 was trained at 25.5), else 25. */
function panelSigma(card: ModelCard): number {
  return card.trainingNoise.type === 'gaussian' ? card.trainingNoise.sigma : 25;
}

interface Panel {
  png: Buffer;
  noisyPsnr: number;
  psnr: number;
}

/** noisy | denoised | clean side by side, each under a label strip, as a PNG. */
async function triptych(images: [Pixels, Pixels, Pixels], labels: [string, string, string]): Promise<Buffer> {
  const { width, height, channels } = images[2];
  const canvasWidth = 3 * width + 2 * GAP;
  const texts = labels.map(
    (label, i) => `<text x="${i * (width + GAP) + width / 2}" y="15" text-anchor="middle">${label}</text>`,
  );
  const strip = `<svg xmlns="http://www.w3.org/2000/svg" width="${canvasWidth}" height="${LABEL_HEIGHT}"><g font-family="sans-serif" font-size="13" fill="#f0f0f0">${texts.join('')}</g></svg>`;
  const layers = images.map((p, i) => {
    const samples = to8BitSamples(p);
    return {
      input: Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength),
      raw: { width, height, channels: channels as 1 | 3 },
      left: i * (width + GAP),
      top: LABEL_HEIGHT,
    };
  });
  // composite adds an alpha channel; dropped, and grey panels stored grey, for a smaller file.
  return sharp({ create: { width: canvasWidth, height: LABEL_HEIGHT + height, channels: 3, background: BACKGROUND } })
    .composite([{ input: Buffer.from(strip), left: 0, top: 0 }, ...layers])
    .removeAlpha()
    .toColourspace(channels === 1 ? 'b-w' : 'srgb')
    .png({ compressionLevel: 9, adaptiveFiltering: true })
    .toBuffer();
}

/** Seeded Gaussian noise at σ, denoised with the true σ. */
async function comparePanel(model: LoadedModel, clean: Pixels, sigma: number): Promise<Panel> {
  const noisy = addSeededGaussianNoise(clean, sigma, NOISE_SEED);
  const denoised = await denoiseTiled(noisy, model, { noiseLevel: sigma });
  const [c, n, d] = [metricsRaster(clean), metricsRaster(noisy), metricsRaster(denoised)];
  const noisyPsnr = psnr(n, c);
  const denoisedPsnr = psnr(d, c);
  const png = await triptych(
    [noisy, denoised, clean],
    [`noisy σ${sigma} · ${noisyPsnr.toFixed(1)} dB`, `${model.card.id} · ${denoisedPsnr.toFixed(1)} dB`, 'clean'],
  );
  return { png, noisyPsnr, psnr: denoisedPsnr };
}

/**
 * A real high-ISO photo from polyu-dev (BSD-style licence, so a crop may be shown with credit):
 * its own camera noise, denoised on Auto as the app does, beside the mean of ~500 shots.
 */
async function realPanel(model: LoadedModel, name: string): Promise<Panel | undefined> {
  const folder = join(dataDir, 'polyu-dev');
  if (!existsSync(join(folder, 'noisy', name))) return undefined;
  const region = { x: 128, y: 128, width: PHOTO_CROP, height: PHOTO_CROP };
  const noisy = cropPixels((await decodeImage(join(folder, 'noisy', name))).pixels, region);
  const clean = cropPixels((await decodeImage(join(folder, 'clean', name))).pixels, region);
  const level = autoNoiseLevel(noisy);
  const denoised = await denoiseTiled(noisy, model, { noiseLevel: level });
  const [c, n, d] = [metricsRaster(clean), metricsRaster(noisy), metricsRaster(denoised)];
  const noisyPsnr = psnr(n, c);
  const denoisedPsnr = psnr(d, c);
  const labels: [string, string, string] = [
    `real noise (${name.split('_')[3]}) · ${noisyPsnr.toFixed(1)} dB`,
    `${model.card.id}, Auto · ${denoisedPsnr.toFixed(1)} dB`,
    'mean of ~500 shots',
  ];
  return { png: await triptych([noisy, denoised, clean], labels), noisyPsnr, psnr: denoisedPsnr };
}

/** The middle PHOTO_CROP² of the first image of the model's benchmark set, when the data is here. */
async function benchmarkCrop(channels: 1 | 3): Promise<{ name: string; clean: Pixels } | undefined> {
  const set = join(dataDir, channels === 1 ? 'bsd68' : 'cbsd68');
  if (!existsSync(set)) return undefined;
  const [file] = (await expandImageArgs([set])).files;
  if (!file) return undefined;
  const image = await loadCleanImage(file, channels);
  const width = Math.min(PHOTO_CROP, image.width);
  const height = Math.min(PHOTO_CROP, image.height);
  const region = {
    x: Math.floor((image.width - width) / 2),
    y: Math.floor((image.height - height) / 2),
    width,
    height,
  };
  return { name: `${basename(set)}-${basename(file, extname(file))}`, clean: cropPixels(image, region) };
}

async function writePanel(path: string, panel: Panel, sigma: number, id: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, panel.png);
  console.log(
    `${relative(root, path)}  ${(panel.png.length / 1024).toFixed(0)} KB  ${id} σ${sigma}: noisy ${panel.noisyPsnr.toFixed(2)} dB → ${panel.psnr.toFixed(2)} dB`,
  );
}

const registry = new ModelRegistry(defaultRegistryDirs());
const shipped = (await registry.list()).filter((m) => m.source === 'shipped');
if (shipped.length === 0) throw new Error(`No shipped models in ${registry.dirs.shippedDir}`);
for (const summary of shipped) {
  const model = await registry.open(summary);
  try {
    const { id, channels } = summary.card;
    const sigma = panelSigma(summary.card);
    await writePanel(
      join(docsDir, `panel-${id}.png`),
      await comparePanel(model, await renderTestCard(channels), sigma),
      sigma,
      id,
    );
    const photo = await benchmarkCrop(channels);
    if (photo)
      await writePanel(
        join(localDir, `panel-${id}-${photo.name}.png`),
        await comparePanel(model, photo.clean, sigma),
        sigma,
        id,
      );
    const real = channels === 3 ? await realPanel(model, REAL_PHOTO) : undefined;
    if (real) await writePanel(join(docsDir, `panel-real-${id}.png`), real, 0, id);
  } finally {
    await model.runtime.dispose();
  }
}
