// Every shipped model is listed by the registry as a valid shipped model with an ONNX graph, and its
// card records how it was trained, its cost and its quality (how well it still denoises against
// that card is the data suite's: test/data/shipped-models.test.ts).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../src-shared/schemas/models.js';
import { ModelRegistry } from '../../src-main/engine/models/registry.js';
import { repoRoot } from '../helpers/images.js';

const shippedDir = path.join(repoRoot, 'assets/models');
const SHIPPED = [
  { id: 'clearframe-grey' },
  { id: 'clearframe-colour' },
  { id: 'clearframe-photo' },
  { id: 'dcae-seed-s25' },
] as const;

let userDir: string;
let models: ModelSummary[];

beforeAll(async () => {
  // An empty user folder, so models installed on this machine neither mask nor add to the shipped ones.
  userDir = await mkdtemp(path.join(os.tmpdir(), 'clearframe-shipped-cards-'));
  const scan = await new ModelRegistry({ shippedDir, userDir }).scan();
  expect(scan.problems).toEqual([]);
  models = scan.models;
});

afterAll(() => rm(userDir, { recursive: true, force: true }));

function shipped(id: string): ModelSummary {
  const summary = models.find((m) => m.card.id === id);
  if (!summary)
    throw new Error(`${shippedDir}: no valid model "${id}" (have: ${models.map((m) => m.card.id).join(', ')})`);
  return summary;
}

describe('shipped models', () => {
  it('are all listed by the registry as valid shipped models', () => {
    expect(models.map((m) => m.card.id).sort()).toEqual(SHIPPED.map((s) => s.id).sort());
    for (const { id } of SHIPPED) {
      const summary = shipped(id);
      expect(summary.source).toBe('shipped');
      expect(summary.hasOnnx).toBe(true);
    }
  });

  it.each(SHIPPED)('$id: card records how it was trained, its cost and its quality', ({ id }) => {
    const { card } = shipped(id);
    expect(card.command).toMatch(/^clearframe train /);
    expect(card.steps).toBeGreaterThan(0);
    expect(card.wallTimeSeconds).toBeGreaterThan(0);
    expect(card.backend).not.toBe('');
    expect(card.flopsPerPixel).toBeGreaterThan(0);
    expect(card.params).toBeGreaterThan(0);
    expect(card.metrics.length).toBeGreaterThan(0);
    expect(card.metrics.some((m) => m.noisyPsnr !== undefined && m.psnr > m.noisyPsnr)).toBe(true);
  });

  it('name no folder of the machine they were trained on (a card is a file users share)', async () => {
    // An absolute path starts a word: "/work/…", "/home/…" or "C:\\…"; "σ/255" or "32/64/128" do not.
    const absolute = /(?:^|[\s="(])(?:\/[\w.-]+\/|[A-Za-z]:\\)/;
    for (const folder of ['assets/models', 'assets/models-wip']) {
      for (const model of await readdir(path.join(repoRoot, folder))) {
        for (const file of (await readdir(path.join(repoRoot, folder, model))).filter((name) =>
          name.endsWith('card.json'),
        )) {
          const text = await readFile(path.join(repoRoot, folder, model, file), 'utf8');
          expect(text, `${folder}/${model}/${file}`).not.toMatch(absolute);
        }
      }
    }
  });
});
