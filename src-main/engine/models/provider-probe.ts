// Which ONNX Runtime execution providers really run on this machine, for Settings → Engine and
// app:info. "Bundled" in listSupportedBackends() only means the binary has the provider: WebGPU is
// bundled on Linux yet needs a Vulkan adapter, DirectML a D3D12 device. So each GPU provider is
// tried for real on an installed model's probe tile (createOnnxRuntime checks it against the CPU),
// once per process: the hardware does not change while the engine runs.
import { join } from 'node:path';
import type { BackendInfo } from '../../../src-shared/schemas/app.js';
import { webgpuAdapter } from '../infer/gpu-adapter.js';
import { createOnnxRuntime, firstLine, loadOnnxRuntime } from '../infer/runtime.js';
import { MODEL_ONNX } from './model-folder.js';
import { probeTile, type ModelRegistry } from './registry.js';

let probed: Promise<BackendInfo[]> | undefined;

/** The providers of this ONNX Runtime build, each tried once per process (see the file comment). */
export function probeProviders(registry?: ModelRegistry): Promise<BackendInfo[]> {
  probed ??= tryProviders(registry);
  return probed;
}

/** The smallest installed model with an ONNX graph, to try providers on; undefined when none. */
async function probeModel(registry: ModelRegistry | undefined) {
  if (!registry) return undefined;
  const models = (await registry.list()).filter((m) => m.hasOnnx);
  return models.sort((a, b) => (a.card.params ?? Infinity) - (b.card.params ?? Infinity))[0];
}

async function tryProviders(registry: ModelRegistry | undefined): Promise<BackendInfo[]> {
  let listed: { name: string; bundled: boolean }[];
  try {
    listed = (await loadOnnxRuntime()).listSupportedBackends();
  } catch (error) {
    return [
      {
        id: 'onnxruntime:cpu',
        kind: 'inference',
        available: false,
        reason: `onnxruntime-node did not load: ${firstLine(error)}`,
      },
    ];
  }
  const model = await probeModel(registry);
  const out: BackendInfo[] = [];
  for (const { name, bundled } of listed) {
    const id = `onnxruntime:${name}`;
    if (!bundled) {
      out.push({
        id,
        kind: 'inference',
        available: false,
        reason: `the ${name} execution provider is not bundled; install its runtime to use it`,
      });
    } else if (name === 'cpu' || !model) {
      // Nothing to try a GPU provider on without a model: listed as the build has it.
      out.push({ id, kind: 'inference', available: true });
    } else {
      out.push(await tryProvider(name, join(model.folder, MODEL_ONNX), probeTile(model.card)));
    }
  }
  return out;
}

async function tryProvider(name: string, modelFile: string, probe: ReturnType<typeof probeTile>): Promise<BackendInfo> {
  const id = `onnxruntime:${name}`;
  try {
    const runtime = await createOnnxRuntime(modelFile, { providers: [name, 'cpu'], probe });
    await runtime.dispose();
    if (runtime.provider !== name) {
      const why = runtime.skipped?.find((s) => s.startsWith(`${name}: `))?.slice(name.length + 2) ?? 'it did not run';
      return { id, kind: 'inference', available: false, reason: why };
    }
    const adapter = name === 'webgpu' ? webgpuAdapter()?.name : undefined;
    return { id, kind: 'inference', available: true, ...(adapter ? { adapter } : {}) };
  } catch (error) {
    return { id, kind: 'inference', available: false, reason: firstLine(error) };
  }
}
