// Every shipped model must open and still denoise exactly as well as its card says (that the registry
// lists each with a complete card: test/integration/shipped-cards.test.ts). The figures come from card.json, never from this file: models are
// re-exported with better figures as training goes on. Each model is measured on all the images
// behind its card's figure (the benchmark set when the card has a figure there, else the trainer's
// held-out images) with the same seeded noise, in float as the card was: the numbers repeat, so a
// corrupt or mis-exported model (wrong weights, lost BatchNorm folding, swapped output rule) or a
// regression of a tenth of a dB fails.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Metric, ModelSummary } from '../../src-shared/schemas/models.js';
import { TrainConfig } from '../../src-shared/schemas/train.js';
import { expandImageArgs } from '../../src-main/engine/io/image-args.js';
import { EVAL_SEED, evaluateModel } from '../../src-main/engine/infer/evaluate-model.js';
import { ModelRegistry } from '../../src-main/engine/models/registry.js';
import { holdOut } from '../../src-main/engine/train/dataset.js';

const repo = path.resolve(import.meta.dirname, '../..');
const shippedDir = path.join(repo, 'assets/models');
const dataDir = path.resolve(import.meta.dirname, '../../../shared/data');

/** How far from its card's figure a model may land on the same images and noise (summation order, library versions). */
const CARD_TOLERANCE_DB = 0.05;
/** How much every shipped model must improve on its noisy input, on the same images. */
const MIN_GAIN_OVER_NOISY_DB = 4;

const SHIPPED = [
  { id: 'clearframe-grey', testSet: 'bsd68', sigma: 25 },
  { id: 'clearframe-colour', testSet: 'cbsd68', sigma: 25 },
  { id: 'clearframe-photo', testSet: 'cbsd68', sigma: 25 },
  // The seed model is measured at the σ it was trained at, as the seed describes.
  { id: 'dcae-seed-s25', testSet: 'bsd68', sigma: 25.5 },
] as const;

let userDir: string;
let registry: ModelRegistry;
let models: ModelSummary[];

beforeAll(async () => {
  // An empty user folder, so models installed on this machine neither mask nor add to the shipped ones.
  userDir = await mkdtemp(path.join(os.tmpdir(), 'clearframe-shipped-models-'));
  // float32: the cards' figures are the float models' (int8 has its own figure, card.quantized).
  registry = new ModelRegistry({ shippedDir, userDir }, { precision: 'float32' });
  const scan = await registry.scan();
  expect(scan.problems).toEqual([]);
  models = scan.models;
});

afterAll(async () => {
  await rm(userDir, { recursive: true, force: true });
});

function shipped(id: string): ModelSummary {
  const summary = models.find((m) => m.card.id === id);
  if (!summary)
    throw new Error(`${shippedDir}: no valid model "${id}" (have: ${models.map((m) => m.card.id).join(', ')})`);
  return summary;
}

/** The card's figure at `sigma`, preferring the one measured on the test set itself. */
function cardMetric(summary: ModelSummary, testSet: string, sigma: number): Metric {
  const atSigma = summary.card.metrics.filter((m) => m.sigma === sigma);
  const metric = atSigma.find((m) => m.dataset.toLowerCase() === testSet) ?? atSigma[0];
  if (!metric) throw new Error(`${summary.folder}/card.json: no metrics entry at σ ${sigma}`);
  return metric;
}

/**
 * The images a card figure was measured on, sorted: a data set by name, or for "<folder> (held out)"
 * the images the trainer held out of that folder (its default split; the cards record no other).
 */
async function imagesBehind(metric: Metric): Promise<string[]> {
  const heldOutOf = /^(.+) \(held out\)$/.exec(metric.dataset)?.[1];
  const folder = path.join(dataDir, heldOutOf ?? metric.dataset.toLowerCase());
  const { files, missing } = await expandImageArgs([folder]);
  if (missing.length > 0) throw new Error(`${folder}: missing (the card measured "${metric.dataset}")`);
  return heldOutOf ? holdOut(files, TrainConfig.shape.valFraction.parse(undefined)).val : files;
}

describe('shipped models', () => {
  it.each(SHIPPED)(
    `$id: the images behind its card's σ $sigma figure reach it within ±${CARD_TOLERANCE_DB} dB`,
    async ({ id, testSet, sigma }) => {
      const summary = shipped(id);
      const card = cardMetric(summary, testSet, sigma);
      const files = await imagesBehind(card);
      if (card.images !== undefined) expect(files).toHaveLength(card.images);
      const model = await registry.open(summary);
      try {
        expect(model.runtime.precision).toBe('float32');
        const result = await evaluateModel(model, files, { sigma, seed: EVAL_SEED });
        console.info(
          `${id} on ${card.dataset} σ${sigma} (${model.runtime.runtime}, ${files.length} images): ${result.psnr.toFixed(4)} dB, card ${card.psnr.toFixed(4)} ` +
            `(${(result.psnr - card.psnr).toFixed(4)}); noisy ${result.noisyPsnr.toFixed(4)}, card ${card.noisyPsnr?.toFixed(4)}; ${result.msPerMegapixel.toFixed(0)} ms/MP`,
        );
        // The same images under the same noise: the noisy input's figure repeats to the last digits.
        if (card.noisyPsnr !== undefined) expect(result.noisyPsnr).toBeCloseTo(card.noisyPsnr, 6);
        expect(Math.abs(result.psnr - card.psnr)).toBeLessThanOrEqual(CARD_TOLERANCE_DB);
        expect(result.psnr).toBeGreaterThanOrEqual(result.noisyPsnr + MIN_GAIN_OVER_NOISY_DB);
      } finally {
        await model.runtime.dispose();
      }
    },
    900_000,
  );
});
