// ONNX Runtime's WebGPU provider against its CPU provider, on a software GPU: Debian's chromium
// package ships SwiftShader's Vulkan driver, which gives Dawn (inside onnxruntime-node) an adapter
// on machines without a GPU. Slow (shaders compile on the CPU), so the inputs are small; this is a
// correctness check of what a real GPU would run. VK_ICD_FILENAMES is set for this test process
// only. Skipped, saying why, only when no adapter can be had.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;

const { createOnnxRuntime, maxAbsDifference } = await import('../../src-main/engine/infer/runtime.js');
const { probeTile } = await import('../../src-main/engine/models/registry.js');
const { readCard, MODEL_ONNX } = await import('../../src-main/engine/models/model-folder.js');
const { OrtTrainer } = await import('../../src-main/engine/train/ort/ort-trainer.js');
const { ModelRegistry } = await import('../../src-main/engine/models/registry.js');
const { engineInfo } = await import('../../src-main/engine/process/engine-info.js');

const modelsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../assets/models');
/** webgpu vs cpu, max |Δ| on 0..1 outputs: both compute in float32, only summation order differs. */
const INFERENCE_TOLERANCE = 1e-4;
/** One Adam step's updated weights, webgpu vs cpu: relative L2 error per weight tensor. */
const TRAINING_TOLERANCE = 1e-3;

/** Why WebGPU cannot run here, or undefined when it can. */
async function webgpuUnavailable(): Promise<string | undefined> {
  if (!existsSync(SWIFTSHADER_ICD)) return `${SWIFTSHADER_ICD} is missing (apt-get install chromium libvulkan1)`;
  try {
    const rt = await createOnnxRuntime(await readFile(path.join(modelsDir, 'clearframe-grey', MODEL_ONNX)), {
      providers: ['webgpu'],
    });
    await rt.dispose();
    return undefined;
  } catch (error) {
    return `no WebGPU adapter: ${(error as Error).message.slice(0, 200)}`;
  }
}

const unavailable = await webgpuUnavailable();
if (unavailable) console.warn(`webgpu parity skipped: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('WebGPU provider = CPU provider (SwiftShader)', () => {
  // One shipped model per architecture.
  for (const id of ['dcae-seed-s25', 'clearframe-colour']) {
    it(`${id}: inference on a probe tile within ${INFERENCE_TOLERANCE}`, async () => {
      const folder = path.join(modelsDir, id);
      const card = await readCard(folder);
      const tile = probeTile({ ...card, sizeMultiple: 16 }); // 64×64
      const outputs = [];
      for (const provider of ['webgpu', 'cpu']) {
        const rt = await createOnnxRuntime(path.join(folder, MODEL_ONNX), { providers: [provider], threads: 1 });
        expect(rt.provider).toBe(provider);
        outputs.push(await rt.run(tile));
        await rt.dispose();
      }
      expect(maxAbsDifference(outputs[0]!, outputs[1]!)).toBeLessThanOrEqual(INFERENCE_TOLERANCE);
    }, 1_200_000);
  }

  // On Linux Automatic does not try WebGPU at all (runtime.ts candidateProviders: Dawn's native warnings
  // would reach every run's terminal), so nothing is skipped; Settings → Engine still names the adapter.
  it('app:info: the adapter is named as emulated; Automatic runs the CPU without trying it, a WebGPU choice runs on it', async () => {
    const registry = new ModelRegistry(
      { shippedDir: modelsDir, userDir: path.join(modelsDir, 'no-user-models') },
      { precision: 'auto' },
    );
    const auto = await engineInfo(registry, { runtime: 'auto', threads: 1 });
    expect(auto.backends.find((b) => b.id === 'onnxruntime:webgpu')).toMatchObject({
      available: true,
      adapter: 'SwiftShader (emulated on the CPU, no real GPU)',
    });
    expect(auto.inference?.runtime).toBe('onnxruntime:cpu:int8');
    expect(auto.inference?.skipped).toEqual([]);
    const chosen = await engineInfo(registry, { runtime: 'onnxruntime:webgpu', threads: 1 });
    expect(chosen.inference).toEqual({ runtime: 'onnxruntime:webgpu', skipped: [] });
  }, 1_200_000);

  it(`one training step (dcae-res-nl, batch 2 of 16×16): updated weights within ${TRAINING_TOLERANCE} relative`, async () => {
    const spec = { arch: 'dcae-res-nl' as const, channels: 1 as const, loss: 'mse' as const, weightDecay: 0 };
    const shape: [number, number, number, number] = [2, 16, 16, 2];
    const input = Float32Array.from({ length: 2 * 16 * 16 * 2 }, (_, i) =>
      i % 2 ? 25 / 255 : ((i * 7919) % 256) / 255,
    );
    const target = Float32Array.from({ length: 2 * 16 * 16 }, (_, i) => ((i * 104729) % 256) / 255 - 0.5);
    const cpu = await OrtTrainer.start(spec, undefined, 1, shape, 'cpu');
    const start = await cpu.state();
    const gpu = await OrtTrainer.start(spec, start, 1, shape, 'webgpu');
    expect(gpu.backend).toBe('onnxruntime-webgpu');
    for (const t of [cpu, gpu]) await t.step(input, target, shape, [2, 16, 16, 1], 1e-3);
    const [a, b] = [await gpu.state(), await cpu.state()];
    a.weights.forEach((w, i) => {
      const ref = b.weights[i]!;
      let num = 0;
      let den = 0;
      for (let k = 0; k < w.length; k++) {
        num += (w[k]! - ref[k]!) ** 2;
        den += ref[k]! ** 2;
      }
      expect(Math.sqrt(num), `weight ${i}`).toBeLessThanOrEqual(TRAINING_TOLERANCE * Math.sqrt(den) + 1e-7);
    });
    await cpu.close();
    await gpu.close();
  }, 1_200_000);
});
