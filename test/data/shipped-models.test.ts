// Every shipped model must open and still denoise about as well as its card says (that the registry
// lists each with a complete card: test/integration/shipped-cards.test.ts). The floors come from card.json, never from this file: models are
// re-exported with better figures as training goes on, and a corrupt or mis-exported model (wrong
// weights, lost BatchNorm folding, swapped output rule) loses far more than the 2 dB of slack.
// Each model is measured on the images behind its card's figure (the benchmark set when the card
// has a figure there, else the trainer's held-out images), so the floor compares like with like.
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

/** Images per test set: enough to catch a broken model, few enough for a busy 2-core machine. */
const IMAGES = 3;
/** How far below its card's figure a model may land on the reduced set (fewer images, other crops). */
const CARD_SLACK_DB = 2;
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
  registry = new ModelRegistry({ shippedDir, userDir });
  const scan = await registry.scan();
  expect(scan.problems).toEqual([]);
  models = scan.models;
});

afterAll(async () => {
  await rm(userDir, { recursive: true, force: true });
});

function shipped(id: string): ModelSummary {
  const summary = models.find((m) => m.card.id === id);
  if (!summary) throw new Error(`${shippedDir}: no valid model "${id}" (have: ${models.map((m) => m.card.id).join(', ')})`);
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
    `$id: the first ${IMAGES} images behind its card's σ $sigma figure reach it within ${CARD_SLACK_DB} dB`,
    async ({ id, testSet, sigma }) => {
      const summary = shipped(id);
      const card = cardMetric(summary, testSet, sigma);
      const files = await imagesBehind(card);
      expect(files.length).toBeGreaterThanOrEqual(IMAGES);
      const model = await registry.open(summary);
      try {
        const result = await evaluateModel(model, files.slice(0, IMAGES), { sigma, seed: EVAL_SEED });
        console.info(
          `${id} on ${card.dataset} σ${sigma} (${model.runtime.runtime}): ${result.psnr.toFixed(2)} dB, noisy ${result.noisyPsnr.toFixed(2)}, ` +
            `card ${card.psnr.toFixed(2)}; ${result.msPerMegapixel.toFixed(0)} ms/MP`,
        );
        expect(result.psnr).toBeGreaterThanOrEqual(card.psnr - CARD_SLACK_DB);
        expect(result.psnr).toBeGreaterThanOrEqual(result.noisyPsnr + MIN_GAIN_OVER_NOISY_DB);
      } finally {
        await model.runtime.dispose();
      }
    },
    120_000,
  );
});
