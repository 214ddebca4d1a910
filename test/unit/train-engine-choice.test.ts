// The training engine decision: what `--runtime`, `--provider` and an installed (or loadable)
// @tensorflow/tfjs-node-gpu choose, with the reason reported. tfjs-node-gpu cannot be installed
// here (it downloads libtensorflow with CUDA), so its presence is an input to the decision.
import { describe, expect, it } from 'vitest';
import { chooseTrainingEngine, nodeGpuInstalled } from '../../src-main/engine/train/engine-choice.js';
import { trainProviderFromRuntimeSetting } from '../../src-shared/schemas/train.js';

const missing = { state: 'missing' } as const;
const installed = { state: 'installed' } as const;

describe('chooseTrainingEngine', () => {
  it('auto: tfjs-node-gpu with one worker when it is installed, else ONNX Runtime on the CPU, saying why', () => {
    expect(chooseTrainingEngine({ runtime: 'auto' }, installed)).toMatchObject({
      engine: 'tfjs',
      backend: 'tfjs-node-gpu',
      workers: 1,
    });
    expect(chooseTrainingEngine({ runtime: 'auto' }, missing)).toEqual({
      engine: 'onnxruntime',
      provider: 'cpu',
      reason: "ONNX Runtime's CPU provider (@tensorflow/tfjs-node-gpu is not installed)",
    });
    const failed = chooseTrainingEngine(
      { runtime: 'auto' },
      { state: 'failed', reason: 'libcudart.so.11.0: cannot open shared object file' },
    );
    expect(failed).toMatchObject({ engine: 'onnxruntime', provider: 'cpu' });
    expect(failed.reason).toContain('did not load (libcudart.so.11.0: cannot open shared object file)');
  });

  it('auto with a GPU provider chosen: that provider trains, even with tfjs-node-gpu installed', () => {
    expect(chooseTrainingEngine({ runtime: 'auto', provider: 'webgpu' }, installed)).toMatchObject({
      engine: 'onnxruntime',
      provider: 'webgpu',
    });
    expect(chooseTrainingEngine({ runtime: 'auto', provider: 'cpu' }, installed)).toMatchObject({
      engine: 'tfjs',
      backend: 'tfjs-node-gpu',
    });
  });

  it('an explicit runtime is obeyed', () => {
    expect(chooseTrainingEngine({ runtime: 'onnxruntime' }, installed)).toMatchObject({
      engine: 'onnxruntime',
      provider: 'cpu',
    });
    expect(chooseTrainingEngine({ runtime: 'onnxruntime', provider: 'dml' }, missing)).toMatchObject({
      engine: 'onnxruntime',
      provider: 'dml',
    });
    expect(chooseTrainingEngine({ runtime: 'tfjs' }, missing)).toEqual({ engine: 'tfjs', reason: '--runtime tfjs' });
    expect(chooseTrainingEngine({ runtime: 'tfjs' }, installed)).toMatchObject({
      engine: 'tfjs',
      backend: 'tfjs-node-gpu',
      workers: 1,
    });
    expect(chooseTrainingEngine({ runtime: 'auto', tfBackend: 'wasm' }, installed)).toEqual({
      engine: 'tfjs',
      backend: 'wasm',
      reason: 'tfjs backend wasm asked for',
    });
  });
});

describe('nodeGpuInstalled', () => {
  it('asks the resolver', () => {
    expect(nodeGpuInstalled(() => '/x/node_modules/@tensorflow/tfjs-node-gpu/dist/index.js')).toEqual(installed);
    expect(
      nodeGpuInstalled(() => {
        throw new Error('Cannot find module');
      }),
    ).toEqual(missing);
  });
});

describe('trainProviderFromRuntimeSetting', () => {
  it("takes Settings → Engine's ONNX Runtime provider, nothing else", () => {
    expect(trainProviderFromRuntimeSetting('onnxruntime:webgpu')).toBe('webgpu');
    expect(trainProviderFromRuntimeSetting('onnxruntime:dml')).toBe('dml');
    expect(trainProviderFromRuntimeSetting('onnxruntime:tensorrt')).toBeUndefined();
    expect(trainProviderFromRuntimeSetting('auto')).toBeUndefined();
    expect(trainProviderFromRuntimeSetting('tfjs:wasm')).toBeUndefined();
  });
});
