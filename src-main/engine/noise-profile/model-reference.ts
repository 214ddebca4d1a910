// The reference a profile measures against: the current model's output with the level on Auto, the
// way the app would denoise the photo. Where that output is flat the residual is the noise.
import { denoiseTiled, type RunnableModel } from '../infer/denoise-tiled.js';
import type { NoiseReference } from './profile-folder.js';

export function modelReference(model: RunnableModel): NoiseReference {
  return async (noisy, width, height) => {
    const out = await denoiseTiled({ width, height, channels: 3, data: noisy, scale: 1 }, model, {
      noiseLevel: 'auto',
    });
    return out.data as Float32Array;
  };
}
