// startGradientEngine's fallbacks with real engines: under auto, a tfjs-node-gpu that is reported
// installed but does not load in its worker (here: it is not installed at all) leaves ONNX Runtime's
// CPU provider training, and the fallback says why.
import { describe, expect, it } from 'vitest';
import { startGradientEngine } from '../../src-main/engine/train/gradient-engine.js';

const spec = { arch: 'dcae' as const, channels: 1 as const, loss: 'mse' as const, weightDecay: 0 };

describe('startGradientEngine', () => {
  it('auto: tfjs-node-gpu that does not load falls back to ONNX Runtime on the CPU, with the reason', async () => {
    const reasons: string[] = [];
    const engine = await startGradientEngine(spec, undefined, {
      runtime: 'auto',
      workers: 1,
      nodeGpu: { state: 'installed' },
      onFallback: (r) => reasons.push(r),
    });
    try {
      expect(engine.backend).toBe('onnxruntime-cpu');
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toMatch(
        /^@tensorflow\/tfjs-node-gpu is installed but did not load \(.+\): ONNX Runtime's CPU provider$/,
      );
    } finally {
      await engine.close();
    }
  }, 120_000);

  it('auto without tfjs-node-gpu: ONNX Runtime on the CPU, no fallback', async () => {
    const reasons: string[] = [];
    const engine = await startGradientEngine(spec, undefined, {
      runtime: 'auto',
      workers: 1,
      nodeGpu: { state: 'missing' },
      onFallback: (r) => reasons.push(r),
    });
    try {
      expect(engine.backend).toBe('onnxruntime-cpu');
      expect(reasons).toEqual([]);
    } finally {
      await engine.close();
    }
  }, 120_000);
});
