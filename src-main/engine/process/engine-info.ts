// What app:info reports about the engine: the versions of its native libraries (sharp, libvips,
// ONNX Runtime, tfjs) and the backends this build can run, learned by loading them. Asked of the
// engine process so that the main process never loads a native image or network library itself.
import { createRequire } from 'node:module';
import sharp from 'sharp';
import type { BackendInfo } from '../../../src-shared/schemas/app.js';
import { probeNativeBackends } from '../backend.js';
import type { EngineInfo } from './protocol.js';

const require = createRequire(import.meta.url);

/** A package's version, or undefined when it is not installed (optional native packages). */
function packageVersion(name: string): string | undefined {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** ONNX Runtime's execution providers this build has, learned by loading the native binding. */
async function probeOnnxRuntime(): Promise<BackendInfo[]> {
  try {
    const ort = await import('onnxruntime-node');
    const supported = ort.listSupportedBackends();
    return supported.map(({ name, bundled }) => ({
      id: `onnxruntime:${name}`,
      kind: 'inference' as const,
      available: bundled,
      ...(bundled ? {} : { reason: `the ${name} execution provider is not bundled; install its runtime to use it` }),
    }));
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return [{ id: 'onnxruntime:cpu', kind: 'inference', available: false, reason: `onnxruntime-node did not load: ${reason}` }];
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

export async function engineInfo(): Promise<EngineInfo> {
  // sharp's package.json is not exported; it reports its own version (and libvips').
  const versions: Record<string, string> = { sharp: sharp.versions.sharp ?? 'unknown', libvips: sharp.versions.vips };
  const optional = { onnxruntime: 'onnxruntime-node', tfjs: '@tensorflow/tfjs-core' };
  for (const [key, name] of Object.entries(optional)) {
    const version = packageVersion(name);
    if (version !== undefined) versions[key] = version;
  }
  return { versions, backends: [...(await probeOnnxRuntime()), ...(await probeTfjs())] };
}
