import { describe, expect, it } from 'vitest';
import { candidateProviders, maxAbsDifference, PROVIDER_TOLERANCE } from '../../src-main/engine/infer/runtime.js';
import { openOptionsFromSettings } from '../../src-main/engine/models/registry.js';

describe('candidateProviders', () => {
  it('Windows: DirectML → WebGPU → CPU; Linux: CUDA only where its library is installed → CPU (WebGPU only when asked)', () => {
    expect(candidateProviders('win32', ['cpu', 'dml', 'webgpu', 'cuda'], true)).toEqual(['dml', 'webgpu', 'cpu']);
    expect(candidateProviders('linux', ['cpu', 'webgpu', 'cuda'], true)).toEqual(['cuda', 'cpu']);
    expect(candidateProviders('linux', ['cpu', 'webgpu', 'cuda'], false)).toEqual(['cpu']);
    expect(candidateProviders('linux', ['cpu'], false)).toEqual(['cpu']);
    expect(candidateProviders('darwin', ['cpu', 'coreml'], true)).toEqual(['cpu']);
  });
});

describe('provider probe comparison', () => {
  const t = (values: number[]) => ({
    data: Float32Array.from(values),
    shape: [1, 1, values.length, 1] as [number, number, number, number],
  });
  it('measures the largest difference, and calls a NaN, an infinity or a shape change infinitely wrong', () => {
    expect(maxAbsDifference(t([0, 0.5, 1]), t([0, 0.5 + 1e-6, 1]))).toBeCloseTo(1e-6, 7);
    expect(maxAbsDifference(t([0, 0.5, 1]), t([0, NaN, 1]))).toBe(Infinity);
    expect(maxAbsDifference(t([0, 0.5, 1]), t([0, Infinity, 1]))).toBe(Infinity);
    expect(maxAbsDifference(t([0, 0.5, 1]), t([0, 0.5]))).toBe(Infinity);
    expect(PROVIDER_TOLERANCE).toBeLessThan(1 / 255);
  });
});

describe('Settings → Engine (runtime, threads) as open options', () => {
  it('threads → intraOpNumThreads (0 = every core); runtime → the provider tried first, CPU after it', () => {
    expect(openOptionsFromSettings({ runtime: 'auto', threads: 0 }, 'auto')).toEqual({
      options: { precision: 'auto' },
      preference: 'auto',
    });
    expect(openOptionsFromSettings({ runtime: 'auto', threads: 3 }, 'auto')).toEqual({
      options: { precision: 'auto', threads: 3 },
      preference: 'auto',
    });
    expect(openOptionsFromSettings({ runtime: 'onnxruntime:webgpu', threads: 0 }, 'auto')).toEqual({
      options: { precision: 'auto', providers: ['webgpu', 'cpu'] },
      preference: 'onnxruntime',
    });
    expect(openOptionsFromSettings({ runtime: 'onnxruntime:cpu', threads: 2 }, 'float32')).toEqual({
      options: { precision: 'float32', threads: 2, providers: ['cpu'] },
      preference: 'onnxruntime',
    });
    expect(openOptionsFromSettings({ runtime: 'tfjs:wasm', threads: 0 }, 'auto').preference).toBe('tfjs');
  });
});
