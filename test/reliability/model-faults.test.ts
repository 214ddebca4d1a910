// Corrupt or incompatible model files (issue #9, faults): each gives a clear error naming the model,
// and opening it with fallback lands on the default model instead of failing the batch.
import { cp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/make-bad-corpus.js';
import { ModelRegistry } from '../../src-main/engine/models/registry.js';
import { EngineError } from '../../src-main/engine/contract/engine-error.js';
import { testCard, writeRandomModelFolder } from '../helpers/model-fixtures.js';
import { removeTempDirs, tempDir } from './support/env.js';
import { FigureRecorder } from './support/figures.js';

const figures = new FigureRecorder('model-faults');
let root: string;
let registry: ModelRegistry;
let good: string;

interface Corruption {
  id: string;
  what: string;
  /** Breaks the copied folder (card id already rewritten to `id`). */
  apply(dir: string): Promise<void>;
  /** 'fallback': the model cannot run, the default runs instead; 'runs-tfjs': model.onnx is bad but tfjs runs it. */
  outcome: 'fallback' | 'runs-tfjs';
}

const flipBits = async (file: string, seed: number, count: number): Promise<void> => {
  const bytes = await readFile(file);
  const random = mulberry32(seed);
  for (let i = 0; i < count; i++) {
    const at = Math.floor(random() * bytes.length);
    bytes[at] = bytes[at]! ^ (1 << Math.floor(random() * 8));
  }
  await writeFile(file, bytes);
};
const half = async (file: string): Promise<void> => truncate(file, Math.floor((await readFile(file)).length / 2));
const noTfjs = async (dir: string): Promise<void> => {
  await unlink(join(dir, 'model.json'));
  await unlink(join(dir, 'weights.bin'));
};

const corruptions: Corruption[] = [
  {
    id: 'onnx-garbage',
    what: 'model.onnx is random bytes (tfjs files intact): listed as unusable, the default runs',
    outcome: 'fallback',
    apply: (d) =>
      writeFile(join(d, 'model.onnx'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) % 256))),
  },
  {
    id: 'onnx-empty',
    what: 'model.onnx is empty, no tfjs files',
    outcome: 'fallback',
    apply: async (d) => {
      await writeFile(join(d, 'model.onnx'), '');
      await noTfjs(d);
    },
  },
  {
    id: 'onnx-truncated',
    what: 'model.onnx cut in half, no tfjs files',
    outcome: 'fallback',
    apply: async (d) => {
      await half(join(d, 'model.onnx'));
      await noTfjs(d);
    },
  },
  {
    id: 'onnx-header-flips',
    what: 'bit flips in the first bytes of model.onnx, no tfjs files',
    outcome: 'fallback',
    apply: async (d) => {
      const f = join(d, 'model.onnx');
      const b = await readFile(f);
      b.fill(0xff, 0, 64);
      await writeFile(f, b);
      await noTfjs(d);
    },
  },
  {
    id: 'weights-truncated',
    what: 'weights.bin cut in half, no model.onnx',
    outcome: 'fallback',
    apply: async (d) => {
      await half(join(d, 'weights.bin'));
      await unlink(join(d, 'model.onnx'));
    },
  },
  {
    id: 'weights-missing',
    what: 'weights.bin missing, no model.onnx',
    outcome: 'fallback',
    apply: async (d) => {
      await unlink(join(d, 'weights.bin'));
      await unlink(join(d, 'model.onnx'));
    },
  },
  {
    id: 'model-json-garbage',
    what: 'model.json is not JSON, no model.onnx',
    outcome: 'fallback',
    apply: async (d) => {
      await writeFile(join(d, 'model.json'), '{"modelTopology": [[[');
      await unlink(join(d, 'model.onnx'));
    },
  },
  {
    id: 'card-not-json',
    what: 'card.json is not JSON',
    outcome: 'fallback',
    apply: (d) => writeFile(join(d, 'card.json'), '{ "id": "card-not-json", '),
  },
  { id: 'card-missing', what: 'card.json missing', outcome: 'fallback', apply: (d) => unlink(join(d, 'card.json')) },
  {
    id: 'card-wrong-channels',
    what: 'card says 3 channels, the network has 1 (incompatible)',
    outcome: 'fallback',
    apply: async (d) => {
      const card = JSON.parse(await readFile(join(d, 'card.json'), 'utf8'));
      await writeFile(join(d, 'card.json'), JSON.stringify({ ...card, channels: 3 }));
    },
  },
  {
    id: 'card-wrong-size-multiple',
    what: 'card claims noise-level input the network lacks (incompatible)',
    outcome: 'fallback',
    apply: async (d) => {
      const card = JSON.parse(await readFile(join(d, 'card.json'), 'utf8'));
      await writeFile(join(d, 'card.json'), JSON.stringify({ ...card, noiseLevelInput: true }));
    },
  },
  {
    id: 'onnx-weight-flips',
    what: '2,000 bit flips inside model.onnx, no tfjs files (loads with damaged weights or fails)',
    outcome: 'fallback',
    apply: async (d) => {
      await flipBits(join(d, 'model.onnx'), 7, 2000);
      await noTfjs(d);
    },
  },
];

beforeAll(async () => {
  root = await tempDir('models');
  const shippedDir = join(root, 'shipped');
  const userDir = join(root, 'user');
  good = join(shippedDir, 'good-grey');
  await writeRandomModelFolder(good, testCard({ id: 'good-grey' }));
  for (const c of corruptions) {
    const dir = join(userDir, c.id);
    await cp(good, dir, { recursive: true });
    const card = JSON.parse(await readFile(join(dir, 'card.json'), 'utf8'));
    await writeFile(join(dir, 'card.json'), JSON.stringify({ ...card, id: c.id, name: c.id }));
    await c.apply(dir);
  }
  registry = new ModelRegistry({ shippedDir, userDir });
}, 180_000);

afterAll(async () => {
  await removeTempDirs();
});

describe('corrupt and incompatible model files', () => {
  it('scanning the models never throws and lists the good default', async () => {
    const { models, problems } = await registry.scan();
    expect(models.some((m) => m.card.id === 'good-grey')).toBe(true);
    for (const problem of problems) expect(problem.reason.length).toBeGreaterThan(10);
  });

  for (const c of corruptions) {
    it(`${c.id}: ${c.what}`, async () => {
      let survived = false;
      let detail = '';
      try {
        const opened = await registry.openWithFallback(c.id, 1);
        try {
          if (c.outcome === 'runs-tfjs' && opened.fallbackFrom === undefined) {
            expect(opened.model.card.id).toBe(c.id);
            expect(opened.model.runtime.runtime).toBe('tfjs');
            expect(opened.model.runtimeFallbackReason ?? '').toMatch(/\S/);
            survived = true;
          } else {
            detail = `opened ${opened.model.card.id} (fallback from ${opened.fallbackFrom ?? '-'}: ${opened.reason ?? '-'})`;
            // A damaged-but-loadable network is acceptable only when it still produced finite output at the probe.
            const ranItself = c.id === 'onnx-weight-flips' && opened.model.card.id === c.id;
            expect(ranItself || opened.model.card.id === 'good-grey', detail).toBe(true);
            if (!ranItself) {
              expect(opened.fallbackFrom).toBe(c.id);
              expect(opened.reason, 'the reason names the model').toContain(c.id);
            }
            survived = true;
          }
          // Whatever was opened really runs.
          const side = 16;
          const out = await opened.model.runtime.run({
            data: new Float32Array(side * side),
            shape: [1, side, side, 1],
          });
          expect(out.data.every(Number.isFinite)).toBe(true);
        } finally {
          await opened.model.runtime.dispose();
        }
      } catch (error) {
        survived = false;
        detail = error instanceof EngineError ? `${error.code}: ${error.message}` : String(error);
        throw error;
      } finally {
        figures.fault(survived, survived ? undefined : `model ${c.id} (${c.what}): ${detail}`);
      }
    });
  }

  it('asked by id for a broken model, the error names that model', async () => {
    for (const id of ['onnx-empty', 'card-not-json', 'card-wrong-channels']) {
      const error = await (async () => registry.open(await registry.find(id)))().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, id).toBeInstanceOf(EngineError);
      expect((error as EngineError).message).toContain(id);
      expect((error as EngineError).code).not.toBe('internal');
    }
  });

  it('when the stand-in default is broken too, the error still names the requested model', async () => {
    // No shipped models: the default is picked among the broken user models by their cards.
    const userOnly = new ModelRegistry({ shippedDir: join(root, 'none'), userDir: join(root, 'user') });
    const result = await userOnly.openWithFallback('onnx-empty', 1).then(
      async (opened) => {
        await opened.model.runtime.dispose();
        return opened;
      },
      (e: unknown) => e,
    );
    if (result instanceof Error) {
      expect(result).toBeInstanceOf(EngineError);
      expect(result.message).toContain('onnx-empty');
    } else {
      expect((result as { reason?: string }).reason).toContain('onnx-empty');
    }
    const none = new ModelRegistry({ shippedDir: join(root, 'none'), userDir: join(root, 'none') });
    await expect(none.openWithFallback(undefined, 1)).rejects.toThrow(/No models are installed/);
    await rm(join(root, 'none'), { recursive: true, force: true });
  });
});
