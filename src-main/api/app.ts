// app:info and the native dialogs.
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { ClearframeError } from '../../src-shared/contract-core.js';
import type { BackendInfo } from '../../src-shared/schemas/app.js';
import { probeNativeBackends } from '../engine/backend.js';
import { appPackage } from '../resources.js';
import type { Handlers } from './dispatch.js';
import type { ApiServices } from './services.js';

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

export function appHandlers(services: ApiServices): Pick<Handlers, 'app:info' | 'dialog:openFolder'> {
  return {
    'app:info': async () => {
      // sharp's package.json is not exported; it reports its own version (and libvips').
      const versions: Record<string, string> = {
        node: process.versions.node,
        sharp: sharp.versions.sharp ?? 'unknown',
        libvips: sharp.versions.vips,
        ...services.hostVersions,
      };
      const optional = { onnxruntime: 'onnxruntime-node', tfjs: '@tensorflow/tfjs-core' };
      for (const [key, name] of Object.entries(optional)) {
        const version = packageVersion(name);
        if (version !== undefined) versions[key] = version;
      }
      const ownPackage = appPackage();
      return {
        name: ownPackage.productName ?? 'Clearframe',
        version: ownPackage.version,
        platform: process.platform,
        arch: process.arch,
        host: services.host,
        versions,
        backends: [...(await probeOnnxRuntime()), ...(await probeTfjs())],
        warnings: [...(services.settings.notices ?? [])],
      };
    },
    'dialog:openFolder': async () => {
      if (!services.pickFolder) {
        throw new ClearframeError('unsupported', 'The folder picker exists only in the desktop app; type or paste the folder path instead.');
      }
      return { folder: await services.pickFolder() };
    },
  };
}
