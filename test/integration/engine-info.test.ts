// app:info's engine half on the shipped models: the providers listed as available are the ones that
// really run (GPU providers tried on a model), and what runs under a Settings → Engine choice is
// reported as the engine opened it — a chosen provider that cannot run is named as skipped, not
// silently replaced by the CPU.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../src-main/engine/models/registry.js';
import type { BackendInfo } from '../../src-shared/schemas/app.js';
import { engineInfo } from '../../src-main/engine/process/engine-info.js';
import type { EngineInfo } from '../../src-main/engine/contract/protocol.js';

const modelsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../assets/models');
const registry = new ModelRegistry(
  { shippedDir: modelsDir, userDir: path.join(modelsDir, 'no-user-models') },
  { precision: 'auto' },
);

let chosen: Promise<EngineInfo> | undefined;
/** app:info under Settings → Engine = WebGPU, asked once for the tests that read it. */
async function webgpuChoice(): Promise<{ info: EngineInfo; webgpu: BackendInfo | undefined }> {
  chosen ??= engineInfo(registry, { runtime: 'onnxruntime:webgpu', threads: 1 });
  const info = await chosen;
  return { info, webgpu: info.backends.find((b) => b.id === 'onnxruntime:webgpu') };
}

describe('engineInfo', () => {
  it('reports what runs the default model under the chosen runtime', async () => {
    const cpu = await engineInfo(registry, { runtime: 'onnxruntime:cpu', threads: 1 });
    expect(cpu.backends.find((b) => b.id === 'onnxruntime:cpu')?.available).toBe(true);
    // clearframe-grey ships an int8 model that passed its guard: the CPU provider runs it.
    expect(cpu.inference).toEqual({ runtime: 'onnxruntime:cpu:int8', skipped: [] });

    const tfjs = await engineInfo(registry, { runtime: 'tfjs:wasm', threads: 0 });
    expect(tfjs.inference?.runtime).toMatch(/^tfjs:/);
  }, 120_000);

  // Which of the next two runs depends on the machine (no GPU and no Vulkan driver here: the first;
  // test/integration/webgpu-parity.test.ts runs the second on SwiftShader): the other is skipped, saying so.
  it('a chosen WebGPU provider that cannot run is reported skipped, with the reason the backend list gives', async (context) => {
    const { info, webgpu } = await webgpuChoice();
    context.skip(webgpu?.available === true, 'WebGPU runs on this machine: the next test covers it');
    expect(webgpu).toBeDefined();
    expect(info.inference?.runtime).toMatch(/^onnxruntime:cpu/);
    expect(info.inference?.skipped).toContain(`webgpu: ${webgpu!.reason}`);
  }, 120_000);

  it('a chosen WebGPU provider that runs is reported as what runs, with nothing skipped', async (context) => {
    const { info, webgpu } = await webgpuChoice();
    context.skip(
      webgpu?.available !== true,
      `WebGPU does not run on this machine (${webgpu?.reason ?? 'not in the backend list'})`,
    );
    expect(info.inference).toEqual({ runtime: 'onnxruntime:webgpu', skipped: [] });
  }, 120_000);
});
