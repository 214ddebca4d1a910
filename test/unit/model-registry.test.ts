import { mkdtemp, readFile, rm, writeFile, unlink, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelCache } from '../../src-main/engine/jobs/model-cache.js';
import { ModelRegistry } from '../../src-main/engine/models/registry.js';
import { testCard, writeRandomModelFolder } from '../helpers/model-fixtures.js';

let root: string;
let registry: ModelRegistry;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-registry-'));
  const shippedDir = join(root, 'shipped');
  const userDir = join(root, 'user');
  registry = new ModelRegistry({ shippedDir, userDir });
  await writeRandomModelFolder(join(shippedDir, 'grey-a'), testCard({ id: 'grey-a' }));
  await writeRandomModelFolder(join(shippedDir, 'colour-a'), testCard({ id: 'colour-a', channels: 3 }));
  // A user model whose ONNX file is garbage and which has no tfjs fallback.
  await writeRandomModelFolder(join(userDir, 'broken-onnx'), testCard({ id: 'broken-onnx' }));
  await writeFile(join(userDir, 'broken-onnx', 'model.onnx'), 'not a protobuf');
  await unlink(join(userDir, 'broken-onnx', 'model.json'));
  // A folder whose card is not a ModelCard.
  await mkdir(join(userDir, 'bad-card'), { recursive: true });
  await writeFile(join(userDir, 'bad-card', 'card.json'), JSON.stringify({ id: 'bad-card', channels: 2 }));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ModelRegistry', () => {
  it('lists valid models and reports broken folders with the reason', async () => {
    const { models, problems } = await registry.scan();
    expect(models.map((m) => [m.card.id, m.source, m.hasOnnx])).toEqual([
      ['colour-a', 'shipped', true],
      ['grey-a', 'shipped', true],
    ]);
    expect(models.every((m) => m.sizeBytes > 1_000_000)).toBe(true);
    expect(problems.map((p) => p.reason)).toEqual([
      expect.stringMatching(/bad-card.*card\.json: (channels|architecture|name)/),
      expect.stringMatching(/broken-onnx.*model\.onnx: is not an ONNX model/),
    ]);
  });

  it('chooses the default by channel count', async () => {
    expect((await registry.defaultFor(1)).card.id).toBe('grey-a');
    expect((await registry.defaultFor(3)).card.id).toBe('colour-a');
  });

  it('opens a model on ONNX Runtime and reports the provider', async () => {
    const loaded = await registry.open(await registry.find('grey-a'));
    expect(loaded.runtime.runtime).toBe('onnxruntime');
    expect(loaded.runtime.provider).toBe('cpu');
    await loaded.runtime.dispose();
  });

  it('falls back to tfjs when model.onnx is missing, with the same output', async () => {
    const copy = join(root, 'no-onnx');
    await writeRandomModelFolder(copy, testCard({ id: 'no-onnx' }));
    const viaOnnx = await registry.open(await registry.resolve(copy, 1));
    await unlink(join(copy, 'model.onnx'));
    const viaTfjs = await registry.open(await registry.resolve(copy, 1));
    expect(viaTfjs.runtime.runtime).toBe('tfjs');
    expect(viaTfjs.runtimeFallbackReason).toMatch(/model\.onnx is missing/);
    const input = {
      data: new Float32Array(16 * 16).map((_, i) => (i % 17) / 17),
      shape: [1, 16, 16, 1] as [number, number, number, number],
    };
    const a = await viaOnnx.runtime.run(input);
    const b = await viaTfjs.runtime.run(input);
    expect(Math.max(...a.data.map((v, i) => Math.abs(v - b.data[i]!)))).toBeLessThan(1e-4);
    await viaOnnx.runtime.dispose();
    await viaTfjs.runtime.dispose();
  });

  it('names a corrupt model in its error and falls back to the default', async () => {
    await expect(registry.find('broken-onnx')).rejects.toThrow(
      /Model "broken-onnx" is unusable: .*model\.onnx: is not an ONNX model/,
    );
    const { model, fallbackFrom, reason } = await registry.openWithFallback('broken-onnx', 1);
    expect(model.card.id).toBe('grey-a');
    expect(fallbackFrom).toBe('broken-onnx');
    expect(reason).toMatch(/broken-onnx/);
    await model.runtime.dispose();
  });

  it('rejects a model whose network does not match its card', async () => {
    const dir = join(root, 'liar');
    await writeRandomModelFolder(dir, testCard({ id: 'liar' }));
    const card = JSON.parse(await readFile(join(dir, 'card.json'), 'utf8'));
    await writeFile(join(dir, 'card.json'), JSON.stringify({ ...card, channels: 3 }));
    // The ONNX file's interface is checked when the folder is read; the tfjs network when it is opened.
    await expect(registry.resolve(dir, 3)).rejects.toThrow(
      /model\.onnx: takes 1 channels and gives 1; the card says 3 and 3/,
    );
    await unlink(join(dir, 'model.onnx'));
    await expect(registry.open(await registry.resolve(dir, 3))).rejects.toThrow(/Model "liar" is incompatible/);
  });

  it('imports a folder as a user model, refuses duplicates, deletes user models only', async () => {
    const source = join(root, 'to-import');
    await writeRandomModelFolder(source, testCard({ id: 'imported-1' }));
    const summary = await registry.importFolder(source);
    expect(summary.folder).toBe(join(root, 'user', 'imported-1'));
    expect((await registry.list()).map((m) => m.card.id)).toContain('imported-1');
    await expect(registry.importFolder(source)).rejects.toThrow(/already installed/);
    await expect(registry.delete('grey-a')).rejects.toThrow(/ships with Clearframe/);
    await registry.delete('imported-1');
    expect((await registry.list()).map((m) => m.card.id)).not.toContain('imported-1');
    await expect(registry.delete('nope')).rejects.toThrow(/There is no model "nope"/);
  });
});

describe("the user's default model per channel count", () => {
  // The shipped models of the registry above, plus a user grey model the automatic choice passes over.
  let withGreyB: ModelRegistry;
  beforeAll(async () => {
    withGreyB = new ModelRegistry({ shippedDir: join(root, 'shipped'), userDir: join(root, 'user-b') });
    await writeRandomModelFolder(join(root, 'user-b', 'grey-b'), testCard({ id: 'grey-b' }));
  });

  async function opened(target: ModelRegistry, ref: string | undefined, channels: 1 | 3, preferred?: string) {
    const { model, fallbackFrom, reason } = await target.openWithFallback(ref, channels, preferred);
    await model.runtime.dispose();
    return { id: model.card.id, fallbackFrom, reason };
  }

  it('opens the preferred model when it has the channel count; empty means automatic', async () => {
    expect((await withGreyB.defaultFor(1)).card.id).toBe('grey-a');
    expect(await opened(withGreyB, undefined, 1, 'grey-b')).toEqual({
      id: 'grey-b',
      fallbackFrom: undefined,
      reason: undefined,
    });
    expect(await opened(withGreyB, undefined, 1, '')).toEqual({
      id: 'grey-a',
      fallbackFrom: undefined,
      reason: undefined,
    });
    expect(await opened(withGreyB, undefined, 1)).toEqual({ id: 'grey-a', fallbackFrom: undefined, reason: undefined });
    // A model named in the request wins over the preference.
    expect((await opened(withGreyB, 'grey-a', 1, 'grey-b')).id).toBe('grey-a');
  });

  it('falls back to the automatic default, saying why, when the preference is unusable', async () => {
    expect(await opened(registry, undefined, 1, 'colour-a')).toEqual({
      id: 'grey-a',
      fallbackFrom: 'colour-a',
      reason: 'Model "colour-a" is for colour photos and cannot be the default for greyscale photos',
    });
    expect(await opened(registry, undefined, 3, 'grey-a')).toEqual(
      expect.objectContaining({
        id: 'colour-a',
        fallbackFrom: 'grey-a',
        reason: expect.stringMatching(/for greyscale photos/),
      }),
    );
    expect(await opened(registry, undefined, 1, 'ghost')).toEqual(
      expect.objectContaining({
        id: 'grey-a',
        fallbackFrom: 'ghost',
        reason: expect.stringMatching(/There is no model "ghost"/),
      }),
    );
    expect(await opened(registry, undefined, 1, 'broken-onnx')).toEqual(
      expect.objectContaining({
        id: 'grey-a',
        fallbackFrom: 'broken-onnx',
        reason: expect.stringMatching(/Model "broken-onnx" is unusable/),
      }),
    );
  });

  it('the model cache keys by the preference and words the fallback as the Settings default', async () => {
    const cache = new ModelCache(withGreyB);
    try {
      const automatic = await cache.get(undefined, 1);
      const preferred = await cache.get(undefined, 1, { grey: 'grey-b', colour: '' });
      expect([automatic.model.card.id, preferred.model.card.id]).toEqual(['grey-a', 'grey-b']);
      expect(preferred.warning).toBeUndefined();
      expect(await cache.get(undefined, 1, { grey: 'grey-b', colour: 'ghost' })).toBe(preferred); // the colour choice does not matter to a grey photo
      const wrong = await cache.get(undefined, 1, { grey: 'colour-a', colour: '' });
      expect(wrong.model.card.id).toBe('grey-a');
      expect(wrong.warning).toMatch(
        /^The default greyscale model set in Settings \("colour-a"\) could not be used, grey-a ran instead: Model "colour-a" is for colour photos/,
      );
    } finally {
      await cache.dispose();
    }
  });
});

describe('Settings → Engine (runtime, threads) take effect when a model opens', () => {
  it('runtime picks what runs: onnxruntime:cpu the CPU provider, tfjs:* the tfjs runtime; threads is part of the cache key', async () => {
    const cache = new ModelCache(registry);
    try {
      const cpu = await cache.get('grey-a', 1, undefined, { runtime: 'onnxruntime:cpu', threads: 1 });
      expect([cpu.model.runtime.runtime, cpu.model.runtime.provider]).toEqual(['onnxruntime', 'cpu']);
      const tfjs = await cache.get('grey-a', 1, undefined, { runtime: 'tfjs:wasm', threads: 0 });
      expect(tfjs.model.runtime.runtime).toBe('tfjs');
      const twoThreads = await cache.get('grey-a', 1, undefined, { runtime: 'onnxruntime:cpu', threads: 2 });
      expect(twoThreads.model.runtime).not.toBe(cpu.model.runtime);
    } finally {
      await cache.dispose();
    }
  });
});
