// What app:info reports about the engine: the versions of its native libraries (sharp, libvips,
// ONNX Runtime, tfjs), the backends this build can run, learned by loading them (GPU providers tried
// on a model: provider-probe.ts), and what runs the default model under the Settings → Engine choice
// (so that a provider chosen there but unable to run is reported, not silently replaced). Asked of
// the engine process so that the main process never loads a native image or network library itself.
import { createRequire } from 'node:module';
import { imageLibraryVersions } from '../io/image-library.js';
import type { BackendInfo, InferenceReport } from '../../../src-shared/schemas/app.js';
import type { EngineChoice } from '../../../src-shared/schemas/settings.js';
import { probeNativeBackends } from '../infer/tfjs-backend.js';
import { probeProviders } from '../models/provider-probe.js';
import type { ModelRegistry } from '../models/registry.js';
import { describeRuntime } from '../models/runtime-report.js';
import type { EngineInfo } from '../contract/protocol.js';

const require = createRequire(import.meta.url);

/** A package's version, or undefined when it is not installed (optional native packages). */
function packageVersion(name: string): string | undefined {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

async function probeTfjs(): Promise<BackendInfo[]> {
  const probes = await probeNativeBackends();
  return probes.map(({ id, available, reason }) => ({
    id: `tfjs:${id}`,
    kind: 'training' as const,
    available,
    ...(reason === undefined ? {} : { reason }),
  }));
}

async function inferenceReport(registry: ModelRegistry, engine: EngineChoice | undefined): Promise<InferenceReport> {
  const { runtime, note, skipped } = await describeRuntime(registry, engine);
  return { ...(runtime ? { runtime } : {}), ...(note ? { note } : {}), skipped: [...(skipped ?? [])] };
}

/** Without a registry (no models to try), GPU providers are listed as bundled and nothing is said about what runs. */
export async function engineInfo(registry?: ModelRegistry, engine?: EngineChoice): Promise<EngineInfo> {
  const versions: Record<string, string> = { ...imageLibraryVersions() };
  const optional = { onnxruntime: 'onnxruntime-node', tfjs: '@tensorflow/tfjs-core' };
  for (const [key, name] of Object.entries(optional)) {
    const version = packageVersion(name);
    if (version !== undefined) versions[key] = version;
  }
  const backends = [...(await probeProviders(registry)), ...(await probeTfjs())];
  return { versions, backends, ...(registry ? { inference: await inferenceReport(registry, engine) } : {}) };
}
