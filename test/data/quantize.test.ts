// int8 quantisation of a shipped model end to end: calibrated on training patches, its output on
// real noisy photos stays within a stated PSNR of the float model's, the registry then runs it on
// the CPU provider — and a deliberately broken int8 model is caught by the guard and never runs.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardMetric, INT8_PSNR_TOLERANCE_DB, int8PassesGuard, ModelCard } from '../../src-shared/schemas/models.js';
import { calibrationBatches } from '../../src-main/engine/infer/quantize-calibrate.js';
import { calibrationNoise } from '../../src-main/engine/train/calibration-noise.js';
import { decodeModel, encodeModel } from '../../src-main/engine/contract/onnx-proto.js';
import {
  DEFAULT_QUANTIZE_OPTIONS,
  quantizeGraph,
  tensorsToQuantize,
} from '../../src-main/engine/onnx/quantize-graph.js';
import { runtimeLabel } from '../../src-main/engine/infer/runtime.js';
import { MODEL_INT8_ONNX, MODEL_ONNX, readCard } from '../../src-main/engine/models/model-folder.js';
import { measureInt8, quantizeModelFolder, quantizeOnnx } from '../../src-main/engine/models/quantize-model.js';
import { ModelRegistry } from '../../src-main/engine/models/registry.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = path.resolve(repoRoot, '../shared/data');
const testOptions = { testSet: path.join(dataDir, 'cbsd68'), sigma: 25, limit: 3 };

let root: string;
let folder: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'cf-quantize-'));
  folder = path.join(root, 'shipped', 'clearframe-colour');
  await cp(path.join(repoRoot, 'assets/models/clearframe-colour'), folder, { recursive: true });
  await rm(path.join(folder, MODEL_INT8_ONNX), { force: true });
  const card = await readCard(folder);
  const { quantized: _q, ...floatOnly } = card;
  await writeFile(
    path.join(folder, 'card.json'),
    JSON.stringify({ ...floatOnly, trainingData: path.join(dataDir, 'bsds-color-train') }),
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('int8 quantisation', () => {
  it(`clearframe-colour: int8 passes the ${INT8_PSNR_TOLERANCE_DB}-dB guard against float on CBSD68, and the registry runs it on the CPU`, async () => {
    const result = await quantizeModelFolder(folder, { ...testOptions, calibrationOptions: { patches: 48 } });
    const q = result.quantized;
    console.info(
      `clearframe-colour int8 on ${q.images} CBSD68 images σ 25: ${q.psnr.toFixed(4)} dB, float ${q.floatPsnr.toFixed(4)} (${(q.psnr - q.floatPsnr).toFixed(4)})`,
    );
    expect(q.images).toBe(3);
    // A shipped model's int8 form passes its guard (it ships accepted), and is no better than float by more either.
    expect(int8PassesGuard(q)).toBe(true);
    expect(result.accepted).toBe(true);
    expect(Math.abs(q.psnr - q.floatPsnr)).toBeLessThanOrEqual(INT8_PSNR_TOLERANCE_DB);
    // Convolution weights are stored as int8 (up-sampling too, as sub-pixel convolutions): about a third of the float file.
    expect(result.bytes.length).toBeLessThan((await readFile(path.join(folder, MODEL_ONNX))).length / 2.5);
    const card = await readCard(folder);
    expect(card.quantized).toEqual(q);
    // Its speed against float, measured on this machine's CPU (a timing, so only its shape is checked).
    expect(q.speed).toMatchObject({
      tile: 512,
      threads: expect.any(Number) as number,
      machine: expect.stringMatching(/\d+ cores$/) as string,
    });
    expect(q.speed!.floatMs).toBeGreaterThan(0);
    expect(q.speed!.int8Ms).toBeGreaterThan(0);
    const registry = new ModelRegistry(
      { shippedDir: path.join(root, 'shipped'), userDir: path.join(root, 'user') },
      { precision: 'auto' },
    );
    const opened = await registry.open(await registry.find('clearframe-colour'), 'onnxruntime');
    expect(runtimeLabel(opened.runtime)).toBe('onnxruntime:cpu:int8');
    await opened.runtime.dispose();
    const forcedFloat = new ModelRegistry(registry.dirs, { precision: 'float32' });
    const float = await forcedFloat.open(await forcedFloat.find('clearframe-colour'), 'onnxruntime');
    expect(runtimeLabel(float.runtime)).toBe('onnxruntime:cpu');
    await float.runtime.dispose();
  }, 600_000);

  it('the guard rejects a broken int8 model (activation ranges 20× too narrow) and the float model runs', async () => {
    const card = await readCard(folder);
    const model = decodeModel(new Uint8Array(await readFile(path.join(folder, MODEL_ONNX))));
    const narrow = new Map(tensorsToQuantize(model.graph).map((t) => [t, { min: -0.05, max: 0.05 }]));
    const broken = encodeModel(
      quantizeGraph(model.graph, narrow, DEFAULT_QUANTIZE_OPTIONS),
      model.opset,
      model.producer,
    );
    const q = await measureInt8(folder, card, broken, testOptions);
    expect(q.psnr).toBeLessThan(q.floatPsnr - 1);
    expect(int8PassesGuard(q)).toBe(false);
    // Even with the broken file in place, a card that records the failure keeps the registry on float.
    await writeFile(path.join(folder, MODEL_INT8_ONNX), broken);
    await writeFile(path.join(folder, 'card.json'), JSON.stringify(ModelCard.parse({ ...card, quantized: q })));
    const registry = new ModelRegistry(
      { shippedDir: path.join(root, 'shipped'), userDir: path.join(root, 'user') },
      { precision: 'auto' },
    );
    const opened = await registry.open(await registry.find('clearframe-colour'), 'onnxruntime');
    expect(opened.runtime.precision).toBe('float32');
    await opened.runtime.dispose();
  }, 600_000);

  it(`clearframe-photo: calibrated with its camera noise, it is the shipped int8 model, which passed the ${INT8_PSNR_TOLERANCE_DB}-dB guard on its whole primary set (polyu-dev real noise, level Auto)`, async () => {
    const photo = path.join(repoRoot, 'assets/models/clearframe-photo');
    const card = await readCard(photo);
    const primary = guardMetric(card);
    expect(primary).toMatchObject({ dataset: 'polyu-dev', realNoise: true });
    const noise = calibrationNoise(card.trainingNoise);
    expect(noise).toBeDefined();
    // The level plane carries the measured level of each patch's camera noise, not a fixed σ.
    const batches = await calibrationBatches(path.join(dataDir, 'bsds-color-train'), card, {
      patches: 8,
      patchSize: 48,
      noise: noise!,
    });
    const levels = new Set<number>();
    for (const b of batches) for (let i = 3; i < b.data.length; i += 4) levels.add(b.data[i]!);
    expect(levels.size).toBeGreaterThan(1);
    // Calibrated as `clearframe quantize` does (256 patches): the very bytes that ship, so the card's
    // guard figures, measured on all of polyu-dev, are this model's. A subset cannot stand in for
    // them: the first photos are harder than the mean (here −0.21 dB on 1 photo, −0.14 on 3, −0.07 on 40).
    const int8 = await quantizeOnnx(
      new Uint8Array(await readFile(path.join(photo, MODEL_ONNX))),
      card,
      path.join(dataDir, 'bsds-color-train'),
      {
        calibrationOptions: { noise: noise! },
      },
    );
    expect(Buffer.from(int8).equals(await readFile(path.join(photo, MODEL_INT8_ONNX)))).toBe(true);
    expect(card.quantized).toMatchObject({ dataset: 'polyu-dev', sigma: 0, realNoise: true, images: primary!.images });
    expect(int8PassesGuard(card.quantized!)).toBe(true);
    // And it runs on a real photo by the guard's protocol, which the float model denoises well above its noisy PSNR.
    const q = await measureInt8(photo, card, int8, {
      testSet: path.join(dataDir, primary!.dataset),
      realNoise: true,
      limit: 1,
    });
    expect(q).toMatchObject({ dataset: 'polyu-dev', sigma: 0, images: 1, realNoise: true });
    console.info(
      `clearframe-photo int8 on 1 polyu-dev photo (Auto): ${q.psnr.toFixed(4)} dB, float ${q.floatPsnr.toFixed(4)} (${(q.psnr - q.floatPsnr).toFixed(4)})`,
    );
    expect(q.floatPsnr).toBeGreaterThan(35);
  }, 900_000);
});
