// The noise-level map estimator (CBDNet's estimation sub-network and FFDNet's level map are the
// references): a small fully convolutional network reading an RGB photo (NHWC, 0..1) and answering,
// at a quarter of its resolution, the natural log of the noise level (0..255 scale) a noise-level
// model expects there — the RMS of the noise over the neighbourhood, as the denoisers' training
// labels their patches. Two stride-2 stages give it a ≈45-px view at ≈14 kFLOP per input pixel
// (a fifteenth of dcae-res-nl's); plain conv + ReLU, so ONNX Runtime's training graph trains it.
import * as tf from '@tensorflow/tfjs-layers';

export { NOISE_MAP_STRIDE } from '../infer/noise-map.js';

function conv(
  x: tf.SymbolicTensor,
  name: string,
  filters: number,
  strides = 1,
  activation: 'relu' | 'linear' = 'relu',
): tf.SymbolicTensor {
  return tf.layers
    .conv2d({ name, filters, kernelSize: 3, strides, padding: 'same', activation })
    .apply(x) as tf.SymbolicTensor;
}

export function noiseMapNet(): tf.LayersModel {
  const input = tf.input({ shape: [null, null, 3], name: 'image' });
  let x = conv(input, 'nm1', 16); //          full resolution
  x = conv(x, 'nm2', 24, 2); //               1/2
  x = conv(x, 'nm3', 32);
  x = conv(x, 'nm4', 32, 2); //               1/4
  x = conv(x, 'nm5', 48);
  x = conv(x, 'nm6', 48);
  x = conv(x, 'nm7', 48);
  const logLevel = conv(x, 'log_level', 1, 1, 'linear');
  return tf.model({ inputs: input, outputs: logLevel, name: 'noise_map' });
}
