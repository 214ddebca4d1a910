// A camera model's own Auto floor (train/auto-floor.ts): the parabola through the best level of the
// sweep, the sweep itself with the shipped photo model on crops with a camera's fitted noise (a
// louder camera asks for a higher level), the card that keeps it, and Auto honouring it.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelCard } from '../../../src-shared/schemas/models.js';
import { autoLevelFor } from '../../../src-main/engine/infer/denoise-tiled.js';
import { AUTO_LEVEL_FLOOR, estimateNoiseSigma } from '../../../src-main/engine/infer/noise-estimate.js';
import type { InferenceRuntime } from '../../../src-main/engine/infer/runtime.js';
import type { Pixels } from '../../../src-main/engine/io/pixels.js';
import { FLOOR_LEVELS, peakLevel, writeAutoFloor } from '../../../src-main/engine/train/auto-floor.js';
import type { ImagePair } from '../../../src-main/engine/train/dataset.js';
import { buildValidationSet } from '../../../src-main/engine/train/validation.js';
import { SeededRandom } from '../../../src-main/engine/util/rng.js';
import { repoRoot } from '../../helpers/images.js';
import { TEST_CAMERA_NOISE } from '../../helpers/train-recipes.js';

describe('peakLevel', () => {
  const scores = (f: (level: number) => number) => FLOOR_LEVELS.map((level) => ({ level, psnr: f(level) }));

  it('finds the vertex of a quadratic between grid levels', () => {
    expect(peakLevel(scores((l) => 35 - 0.1 * (l - 4.6) ** 2))).toBeCloseTo(4.6, 10);
    expect(peakLevel(scores((l) => 35 - 0.3 * (l - 2.7) ** 2))).toBeCloseTo(2.7, 10);
  });

  it('answers the end of the grid where the scores still rise there, a grid level where its neighbours score alike', () => {
    expect(peakLevel(scores((l) => l))).toBe(FLOOR_LEVELS.at(-1));
    expect(peakLevel(scores((l) => -l))).toBe(FLOOR_LEVELS[0]);
    expect(peakLevel(scores((l) => -Math.abs(l - 5)))).toBeCloseTo(5, 10);
  });
});

/** Smooth colour fields with edges and a little texture, seeded: stand-ins for held-out photos. */
function photos(count: number, side: number): ImagePair[] {
  const rng = new SeededRandom(11);
  return Array.from({ length: count }, (_, k) => {
    const data = new Uint8Array(side * side * 3);
    const base = [rng.uniform(40, 200), rng.uniform(40, 200), rng.uniform(40, 200)];
    const edge = rng.uniform(0.3, 0.7) * side;
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++)
        for (let c = 0; c < 3; c++) {
          const v = base[c]! + (x > edge ? 40 : -20) + 15 * Math.sin((x + 2 * y) / (6 + c)) + (y / side) * 30;
          data[(y * side + x) * 3 + c] = Math.round(Math.min(255, Math.max(0, v)));
        }
    return { name: `photo-${k}`, clean: { width: side, height: side, channels: 3, data } };
  });
}

describe('a camera model’s Auto floor', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auto-floor-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const sweep = async (name: string, scale: number) => {
    const folder = join(dir, name);
    await cp(join(repoRoot, 'assets/models/clearframe-photo'), folder, { recursive: true });
    const card = ModelCard.parse(JSON.parse(await readFile(join(folder, 'card.json'), 'utf8')));
    const camera = { ...TEST_CAMERA_NOISE, shot: TEST_CAMERA_NOISE.shot * scale, read: TEST_CAMERA_NOISE.read * scale };
    const set = await buildValidationSet(photos(4, 128), {
      channels: 3,
      sigma: 3,
      maxImages: 4,
      crop: 128,
      noiseLevelInput: true,
      output: card.output,
      seed: 5,
      camera,
    });
    const { card: written, scores } = await writeAutoFloor(folder, card, set, 2);
    const onDisk = ModelCard.parse(JSON.parse(await readFile(join(folder, 'card.json'), 'utf8')));
    return { written, scores, onDisk };
  };

  it('is the level the model does best at on the fitted noise, kept in its card; a louder camera’s is higher', async () => {
    const quiet = await sweep('quiet', 1);
    const loud = await sweep('loud', 6);
    for (const { written, scores, onDisk } of [quiet, loud]) {
      expect(scores.map((s) => s.level)).toEqual([...FLOOR_LEVELS]);
      expect(written.autoFloor).toBe(Math.round(peakLevel(scores) * 10) / 10);
      expect(onDisk.autoFloor).toBe(written.autoFloor);
      expect(onDisk.details).toContain(`told at least level ${written.autoFloor}`);
      // The grid's best level scores above its worst: the level plane matters to the model.
      const psnrs = scores.map((s) => s.psnr);
      expect(Math.max(...psnrs) - Math.min(...psnrs)).toBeGreaterThan(0.05);
    }
    expect(loud.written.autoFloor!).toBeGreaterThan(quiet.written.autoFloor! + 0.5);
  }, 120_000);

  it('Auto tells a model with a floor of its own at least that floor, and what it measures above it', async () => {
    // Auto never runs the network; a runtime that is called fails the test.
    const runtime = {
      run: () => Promise.reject(new Error('Auto ran the network')),
    } as unknown as InferenceRuntime;
    const card = ModelCard.parse(
      JSON.parse(await readFile(join(repoRoot, 'assets/models/clearframe-photo/card.json'), 'utf8')),
    );
    const side = 128;
    const flat: Pixels = {
      width: side,
      height: side,
      channels: 3,
      data: new Uint8Array(side * side * 3).fill(120),
      scale: 255,
    };
    const rng = new SeededRandom(3);
    const noisy: Pixels = {
      ...flat,
      data: Uint8Array.from(flat.data, (v) => Math.round(Math.min(255, Math.max(0, v + 20 * rng.normal())))),
    };
    expect(await autoLevelFor({ card, runtime }, flat)).toBe(AUTO_LEVEL_FLOOR);
    expect(await autoLevelFor({ card: { ...card, autoFloor: 5.2 }, runtime }, flat)).toBe(5.2);
    const reading = estimateNoiseSigma(noisy);
    expect(reading).toBeGreaterThan(15);
    expect(await autoLevelFor({ card: { ...card, autoFloor: 5.2 }, runtime }, noisy)).toBe(reading);
  });
});
