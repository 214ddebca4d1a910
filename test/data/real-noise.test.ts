// Real camera noise, end to end: a few polyu-dev photos (real high-ISO shots; the clean reference is
// the mean of ~500 shots) through the default colour model the way `clearframe denoise` runs them,
// with the noise level on Auto. The floor is far under what `npm run bench:real` measures (README),
// so only a broken photo model, a broken Auto level or a broken real-noise path fails it. Also: the
// manual level is a control that does what it says — a higher level removes more.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denoiseTiled } from '../../src-main/engine/infer/denoise-tiled.js';
import { evaluateRealPairs, listRealPairs, type RealPair } from '../../src-main/engine/infer/evaluate-real.js';
import { decodeImage } from '../../src-main/engine/io/decode.js';
import { ModelRegistry, type LoadedModel } from '../../src-main/engine/models/registry.js';
import { dataDir, repoRoot } from '../helpers/images.js';

/** Four of the 40 crops, spread over both cameras and ISOs. */
const PAIRS = 4;
/** Gain over the noisy input on those crops that the photo model must reach (measured: about +2 dB). */
const MIN_GAIN_DB = 1;

let model: LoadedModel;
let pairs: RealPair[];

beforeAll(async () => {
  const registry = new ModelRegistry({
    shippedDir: path.join(repoRoot, 'assets/models'),
    userDir: path.join(repoRoot, 'no-user-models'),
  });
  const summary = await registry.defaultFor(3);
  expect(summary.card.id).toBe('clearframe-photo');
  model = await registry.open(summary);
  const all = await listRealPairs(path.join(dataDir, 'polyu-dev'));
  pairs = all.filter((_, i) => i % Math.floor(all.length / PAIRS) === 0).slice(0, PAIRS);
});

afterAll(async () => {
  await model?.runtime.dispose();
});

describe('real camera noise', () => {
  it(`the default colour model on Auto gains at least ${MIN_GAIN_DB} dB on real noisy photos`, async () => {
    const result = await evaluateRealPairs(model, pairs, { noiseLevel: 'auto' });
    console.info(
      `clearframe-photo on ${pairs.length} polyu-dev crops: ${result.psnr.toFixed(2)} dB (noisy ${result.noisyPsnr.toFixed(2)}), levels ${result.images.map((i) => i.level?.toFixed(1)).join(', ')}`,
    );
    expect(result.psnr).toBeGreaterThan(result.noisyPsnr + MIN_GAIN_DB);
    for (const image of result.images) expect(image.psnr).toBeGreaterThan(image.noisyPsnr);
  });

  it('a higher manual noise level removes more', async () => {
    const noisy = (await decodeImage(pairs[0]!.noisy)).pixels;
    const change = async (level: number): Promise<number> => {
      const out = await denoiseTiled(noisy, model, { noiseLevel: level });
      let sum = 0;
      for (let i = 0; i < out.data.length; i++) sum += Math.abs(out.data[i]! - noisy.data[i]!);
      return sum / out.data.length;
    };
    const [low, mid, high] = [await change(1), await change(8), await change(30)];
    expect(mid).toBeGreaterThan(low * 1.2);
    expect(high).toBeGreaterThan(mid * 1.2);
  });
});
