import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/engine/infer/tfjs-backend.js';
import { denoiseTiled, countTiles } from '../../src-main/engine/infer/denoise-tiled.js';
import { exportToOnnx } from '../../src-main/engine/onnx/onnx-export.js';
import { createOnnxRuntime, createTfjsRuntime, type InferenceRuntime } from '../../src-main/engine/infer/runtime.js';
import { dcae } from '../../src-main/engine/models/architectures.js';
import type { Pixels } from '../../src-main/engine/io/pixels.js';
import { testCard } from '../helpers/model-fixtures.js';
import { cropPixels, toFloatPixels } from '../helpers/images.js';
import { colourPhoto, greyPhoto } from '../helpers/samples.js';

let dcaeRuntime: InferenceRuntime;
const greyCard = testCard({ id: 'random-dcae' });

beforeAll(async () => {
  await initBackend('wasm');
  const model = dcae({ channels: 1 });
  dcaeRuntime = await createOnnxRuntime(exportToOnnx(model), { providers: ['cpu'] });
  model.dispose();
});

function maxAbsDiff(a: Pixels, b: Pixels, channel?: number): number {
  let m = 0;
  for (let i = 0; i < a.data.length; i++) {
    if (channel !== undefined && i % a.channels !== channel) continue;
    m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!) / a.scale);
  }
  return m;
}

/** A 1-conv network with zero weights: outputs 0 everywhere, on any input size. */
async function zeroNetwork(channels: number): Promise<InferenceRuntime> {
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [null, null, channels],
        filters: channels,
        kernelSize: 3,
        padding: 'same',
        kernelInitializer: 'zeros',
      }),
    ],
  });
  return createTfjsRuntime(model);
}

describe('denoiseTiled', () => {
  it('gives the whole-image result (within 1/255) when cut into small tiles', async () => {
    const image = toFloatPixels(
      await cropPixels(await greyPhoto('02'), { left: 20, top: 30, width: 203, height: 150 }, 1),
    );
    const whole = await denoiseTiled(image, { card: greyCard, runtime: dcaeRuntime }, { tileSize: 1024 });
    let tiles = 0;
    const tiled = await denoiseTiled(
      image,
      { card: greyCard, runtime: dcaeRuntime },
      { tileSize: 128, margin: 32, onTile: (d) => (tiles = d) },
    );
    expect(tiles).toBe(countTiles(203, 150, 1, greyCard, { tileSize: 128, margin: 32 }));
    expect(tiles).toBeGreaterThan(8);
    expect(maxAbsDiff(whole, image)).toBeGreaterThan(0.05); // the network did change the image
    expect(maxAbsDiff(tiled, whole)).toBeLessThanOrEqual(1 / 255);
  });

  it('blends by strength: 0 keeps the original, 0.5 lands halfway', async () => {
    const image = await cropPixels(await greyPhoto('03'), { left: 0, top: 0, width: 64, height: 64 }, 1);
    const none = await denoiseTiled(image, { card: greyCard, runtime: dcaeRuntime }, { strength: 0 });
    expect(maxAbsDiff(none, image)).toBe(0);
    const full = await denoiseTiled(image, { card: greyCard, runtime: dcaeRuntime }, { strength: 1 });
    const half = await denoiseTiled(image, { card: greyCard, runtime: dcaeRuntime }, { strength: 0.5 });
    for (let i = 0; i < image.data.length; i++) {
      expect(Math.abs(half.data[i]! - (image.data[i]! + full.data[i]!) / 2)).toBeLessThanOrEqual(1);
    }
  });

  it('runs a grey model per channel on RGBA and leaves alpha untouched', async () => {
    const image = await cropPixels(await colourPhoto(0), { left: 10, top: 10, width: 72, height: 56 }, 4);
    const out = await denoiseTiled(image, { card: greyCard, runtime: dcaeRuntime });
    expect(maxAbsDiff(out, image, 3)).toBe(0);
    for (const c of [0, 1, 2]) expect(maxAbsDiff(out, image, c)).toBeGreaterThan(0.05);
    // Each colour channel equals the grey model run on that plane alone.
    const red: Pixels = {
      width: image.width,
      height: image.height,
      channels: 1,
      scale: 255,
      data: image.data.filter((_, i) => i % 4 === 0),
    };
    const redOut = await denoiseTiled(red, { card: greyCard, runtime: dcaeRuntime });
    expect(Array.from(out.data.filter((_, i) => i % 4 === 0))).toEqual(Array.from(redOut.data));
  });

  it('applies the output convention: a zero network means "clean = 0" or "noise = 0"', async () => {
    const image = await cropPixels(await greyPhoto('04'), { left: 0, top: 0, width: 40, height: 40 }, 3);
    const runtime = await zeroNetwork(3);
    const before = tf.memory().numTensors;
    const asNoise = await denoiseTiled(image, {
      card: testCard({ id: 'z', channels: 3, output: 'noise', sizeMultiple: 1 }),
      runtime,
    });
    const asClean = await denoiseTiled(image, {
      card: testCard({ id: 'z', channels: 3, output: 'clean', sizeMultiple: 1 }),
      runtime,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(maxAbsDiff(asNoise, image)).toBe(0);
    expect(asClean.data.every((v) => v === 0)).toBe(true);
    await runtime.dispose();
  });

  it('stops between tiles when cancelled', async () => {
    const image = await cropPixels(await greyPhoto('05'), { left: 0, top: 0, width: 128, height: 128 }, 1);
    const controller = new AbortController();
    let seen = 0;
    await expect(
      denoiseTiled(
        image,
        { card: greyCard, runtime: dcaeRuntime },
        {
          tileSize: 64,
          margin: 16,
          signal: controller.signal,
          onTile: (done) => {
            seen = done;
            if (done === 2) controller.abort();
          },
        },
      ),
    ).rejects.toThrow(/cancelled/);
    expect(seen).toBe(2);
  });

  it('a cancel during the last tile still cancels (nothing is returned to be written)', async () => {
    const image = await cropPixels(await greyPhoto('05'), { left: 0, top: 0, width: 128, height: 128 }, 1);
    const controller = new AbortController();
    await expect(
      denoiseTiled(
        image,
        { card: greyCard, runtime: dcaeRuntime },
        {
          tileSize: 64,
          margin: 16,
          signal: controller.signal,
          onTile: (done, total) => done === total && controller.abort(),
        },
      ),
    ).rejects.toThrow(/cancelled/);
  });
});
