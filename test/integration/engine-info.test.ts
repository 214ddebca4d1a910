// app:info's engine half on the shipped models: the providers listed as available are the ones that
// really run (GPU providers tried on a model), and what runs under a Settings → Engine choice is
// reported as the engine opened it — a chosen provider that cannot run is named as skipped, not
// silently replaced by the CPU.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../src-main/engine/models/registry.js';
import { engineInfo } from '../../src-main/engine/process/engine-info.js';

const modelsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../assets/models');
const registry = new ModelRegistry({ shippedDir: modelsDir, userDir: path.join(modelsDir, 'no-user-models') }, { precision: 'auto' });

describe('engineInfo', () => {
  it('reports what runs the default model under the chosen runtime', async () => {
    const cpu = await engineInfo(registry, { runtime: 'onnxruntime:cpu', threads: 1 });
    expect(cpu.backends.find((b) => b.id === 'onnxruntime:cpu')?.available).toBe(true);
    // clearframe-grey ships an int8 model that passed its guard: the CPU provider runs it.
    expect(cpu.inference).toEqual({ runtime: 'onnxruntime:cpu:int8', skipped: [] });

    const tfjs = await engineInfo(registry, { runtime: 'tfjs:wasm', threads: 0 });
    expect(tfjs.inference?.runtime).toMatch(/^tfjs:/);
  }, 120_000);

  it('a chosen WebGPU provider either runs and is reported, or is reported skipped with the reason the backend list gives', async () => {
    const info = await engineInfo(registry, { runtime: 'onnxruntime:webgpu', threads: 1 });
    const webgpu = info.backends.find((b) => b.id === 'onnxruntime:webgpu');
    if (webgpu?.available) {
      expect(info.inference).toEqual({ runtime: 'onnxruntime:webgpu', skipped: [] });
    } else {
      expect(info.inference?.runtime).toMatch(/^onnxruntime:cpu/);
      const skipped = info.inference?.skipped.find((s) => s.startsWith('webgpu: '));
      expect(skipped).toBeDefined();
      if (webgpu) expect(skipped).toBe(`webgpu: ${webgpu.reason}`);
    }
  }, 120_000);
});
