// Which GPU adapter a provider runs on, when we can tell. ONNX Runtime's Node binding does not expose
// WebGPU's adapter info (Dawn chooses the adapter natively and logs nothing about it), but on Linux
// Vulkan loads only the drivers VK_ICD_FILENAMES names when it is set, so a SwiftShader ICD there
// means the "GPU" is an emulation on the CPU: Settings, app:info and bench:speed must say so rather
// than present its times as GPU speed.
import { basename } from 'node:path';

export interface GpuAdapter {
  /** The adapter's name as we know it, e.g. 'SwiftShader (emulated on the CPU, no real GPU)'. */
  name: string;
  /** True for a software rasteriser: its times are not GPU speed. */
  emulated: boolean;
}

/** Known software Vulkan drivers, by what their ICD file's name contains. */
const SOFTWARE_ICDS: readonly [string, string][] = [
  ['swiftshader', 'SwiftShader'],
  ['lvp', 'lavapipe'],
];

/**
 * The WebGPU provider's adapter when the environment pins it (Linux: VK_ICD_FILENAMES or
 * VK_DRIVER_FILES naming one Vulkan driver); undefined when the platform picks it and ONNX Runtime
 * does not say which.
 */
export function webgpuAdapter(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): GpuAdapter | undefined {
  if (platform !== 'linux') return undefined;
  const icds = (env.VK_DRIVER_FILES || env.VK_ICD_FILENAMES || '').split(':').filter(Boolean);
  if (icds.length !== 1) return undefined;
  const file = basename(icds[0]!).toLowerCase();
  for (const [needle, name] of SOFTWARE_ICDS)
    if (file.includes(needle)) return { name: `${name} (emulated on the CPU, no real GPU)`, emulated: true };
  return { name: `Vulkan driver ${basename(icds[0]!)}`, emulated: false };
}
