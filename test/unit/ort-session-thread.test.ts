// ONNX Runtime sessions run in a thread of their own (ort-session-thread.ts): the engine's main
// thread is free while a tile runs, an aborted run is given up at once without mixing up answers,
// and the answers are those of a session on the calling thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { initBackend } from '../../src-main/engine/infer/tfjs-backend.js';
import { EngineError } from '../../src-main/engine/contract/engine-error.js';
import { OrtSessionThread, type ThreadTensor } from '../../src-main/engine/infer/ort-session-thread.js';
import { dcae } from '../../src-main/engine/models/architectures.js';
import { exportToOnnx, ONNX_INPUT, ONNX_OUTPUT } from '../../src-main/engine/onnx/onnx-export.js';
import { cropPixels, toFloatPixels } from '../helpers/images.js';
import { greyPhoto } from '../helpers/samples.js';

let bytes: Uint8Array;
let thread: OrtSessionThread;

/** The network's one output for `tile`, through the thread. */
async function runTile(tile: ThreadTensor, signal?: AbortSignal): Promise<ThreadTensor> {
  return (await thread.run({ [ONNX_INPUT]: tile }, [ONNX_OUTPUT], signal))[ONNX_OUTPUT]!;
}

/** A real photo's grey pixels, `side` × `side`, as the network's NHWC input. */
async function photoTile(side: number): Promise<ThreadTensor> {
  const pixels = toFloatPixels(
    await cropPixels(await greyPhoto('04'), { left: 0, top: 0, width: side, height: side }, 1),
  );
  return { data: Float32Array.from(pixels.data, (v) => v / pixels.scale), dims: [1, side, side, 1] };
}

beforeAll(async () => {
  await initBackend('wasm');
  const model = dcae({ channels: 1 });
  bytes = exportToOnnx(model);
  model.dispose();
  thread = await OrtSessionThread.open({ model: bytes, provider: 'cpu', intraOpNumThreads: 1 });
});

afterAll(() => thread.release());

describe('OrtSessionThread', () => {
  it('answers exactly as a session on this thread does, and leaves this thread free while it runs', async () => {
    const tile = await photoTile(256);
    const here = await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    const expected = (await here.run({ [ONNX_INPUT]: new ort.Tensor('float32', tile.data, tile.dims) }))[ONNX_OUTPUT]!
      .data as Float32Array;
    await here.release();

    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const out = await runTile(tile);
    clearInterval(timer);
    expect(out.dims).toEqual(tile.dims);
    expect(Array.from(out.data)).toEqual(Array.from(expected));
    // On this thread the run is synchronous and no timer fires during it (256² takes tens of ms).
    expect(ticks).toBeGreaterThan(0);
  });

  it('gives up an aborted run at once, drops its late answer, and answers the next run correctly', async () => {
    const big = await photoTile(256);
    const small = await photoTile(64);
    const reference = await runTile(small);

    const controller = new AbortController();
    const running = runTile(big, controller.signal);
    let outcome: unknown;
    running.catch((error: unknown) => (outcome = error));
    controller.abort();
    // Rejected before the event loop turns once (microtasks only): no wait for the thread's answer,
    // which comes as a message when its run (tens of ms) ends.
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcome).toBeInstanceOf(EngineError);
    expect((outcome as EngineError).code).toBe('cancelled');

    // The big run's answer arrives first and must not be taken for this one.
    const next = await runTile(small);
    expect(next.dims).toEqual(small.dims);
    expect(Array.from(next.data)).toEqual(Array.from(reference.data));
    // An already aborted signal never reaches the thread.
    await expect(runTile(small, AbortSignal.abort())).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('fails to open a file that is not a model with ONNX Runtime’s own words, and stops its thread', async () => {
    await expect(
      OrtSessionThread.open({ model: new Uint8Array([1, 2, 3, 4]), provider: 'cpu', intraOpNumThreads: 1 }),
    ).rejects.toThrow(/protobuf|parse|model/i);
  });
});
