// The WebGPU adapter we can name (a pinned Vulkan driver) and ONNX Runtime's native errors in words.
import { describe, expect, it } from 'vitest';
import { webgpuAdapter } from '../../src-main/engine/infer/gpu-adapter.js';
import { firstLine } from '../../src-main/engine/infer/runtime.js';

describe('webgpuAdapter', () => {
  it('names SwiftShader and lavapipe as emulated, another pinned driver as itself', () => {
    expect(webgpuAdapter({ VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json' }, 'linux')).toEqual({
      name: 'SwiftShader (emulated on the CPU, no real GPU)',
      emulated: true,
    });
    expect(webgpuAdapter({ VK_DRIVER_FILES: '/usr/share/vulkan/icd.d/lvp_icd.x86_64.json' }, 'linux')?.emulated).toBe(
      true,
    );
    expect(webgpuAdapter({ VK_ICD_FILENAMES: '/usr/share/vulkan/icd.d/nvidia_icd.json' }, 'linux')).toEqual({
      name: 'Vulkan driver nvidia_icd.json',
      emulated: false,
    });
  });

  it('says nothing when the platform picks the adapter', () => {
    expect(webgpuAdapter({}, 'linux')).toBeUndefined();
    expect(
      webgpuAdapter({ VK_ICD_FILENAMES: '/a/nvidia_icd.json:/b/vk_swiftshader_icd.json' }, 'linux'),
    ).toBeUndefined();
    expect(webgpuAdapter({ VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json' }, 'win32')).toBeUndefined();
  });
});

describe('firstLine', () => {
  it("keeps what happened from ONNX Runtime's native checks", () => {
    const native =
      '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters\nstack';
    expect(firstLine(new Error(native))).toBe('Failed to get a WebGPU adapter: No supported adapters');
    expect(firstLine(new Error('plain message\nmore'))).toBe('plain message');
  });
});
