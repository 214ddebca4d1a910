// The noise-level map estimator (CBDNet's estimation sub-network and FFDNet's level map are the
// references): a small fully convolutional network reading an RGB photo (NHWC, 0..1) and answering,
// at a quarter of its resolution, the natural log of the noise level (0..255 scale) a noise-level
// model expects there — the RMS of the noise over the neighbourhood, as the denoisers' training
// labels their patches. Two stride-2 stages give it a ≈45-px view at ≈28 kFLOP per input pixel
// (an eighth of dcae-res-nl's); plain conv + ReLU, so ONNX Runtime's training graph trains it.
import * as tf from '@tensorflow/tfjs-layers';

export { NOISE_MAP_STRIDE } from '../infer/noise-map.js';

function conv(x: tf.SymbolicTensor, name: string, filters: number, strides = 1, activation: 'relu' | 'linear' = 'relu'): tf.SymbolicTensor {
  return tf.layers.conv2d({ name, filters, kernelSize: 3, strides, padding: 'same', activation }).apply(x) as tf.SymbolicTensor;
}

export function noiseMapNet(): tf.LayersModel {
  const input = tf.input({ shape: [null, null, 3], name: 'image' });
  let x = conv(input, 'nm1', 32); //          full resolution
  x = conv(x, 'nm2', 32, 2); //               1/2
  x = conv(x, 'nm3', 48);
  x = conv(x, 'nm4', 48, 2); //               1/4
  x = conv(x, 'nm5', 64);
  x = conv(x, 'nm6', 64);
  x = conv(x, 'nm7', 64);
  const logLevel = conv(x, 'log_level', 1, 1, 'linear');
  return tf.model({ inputs: input, outputs: logLevel, name: 'noise_map' });
}
