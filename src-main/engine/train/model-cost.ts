// Parameter count, forward cost (FLOPs per input pixel, multiply-add = 2) and activations (values
// every layer outputs, per input pixel) of a layers model, from its graph: each layer's resolution
// relative to the input follows the strides along the way.
import type * as tfl from '@tensorflow/tfjs-layers';

interface ConvConfig {
  kernelSize: number[];
  strides: number[];
  filters: number;
}

export function modelCost(model: tfl.LayersModel): {
  params: number;
  flopsPerPixel: number;
  activationsPerPixel: number;
} {
  const scale = new Map<string, number>(); // output pixels per input pixel, per layer
  const scaleOf = (layer: tfl.layers.Layer): number => {
    const known = scale.get(layer.name);
    if (known !== undefined) return known;
    const inbound = layer.inboundNodes[0]?.inboundLayers[0];
    const inScale = inbound ? scaleOf(inbound) : 1;
    const cls = layer.getClassName();
    const cfg = layer.getConfig() as unknown as ConvConfig;
    const s = cfg.strides ? cfg.strides[0]! * cfg.strides[1]! : 1;
    const out = cls === 'Conv2D' ? inScale / s : cls === 'Conv2DTranspose' ? inScale * s : inScale;
    scale.set(layer.name, out);
    return out;
  };
  let flops = 0;
  let activations = 0;
  for (const layer of model.layers) {
    const shape = layer.outputShape as Array<number | null>;
    activations += (shape[shape.length - 1] ?? 0) * scaleOf(layer);
    const cls = layer.getClassName();
    if (cls !== 'Conv2D' && cls !== 'Conv2DTranspose') continue;
    const cfg = layer.getConfig() as unknown as ConvConfig;
    const inbound = layer.inboundNodes[0]!.inboundLayers[0]!;
    const cin = layer.getWeights()[0]!.shape[cls === 'Conv2D' ? 2 : 3]!;
    const taps = cfg.kernelSize[0]! * cfg.kernelSize[1]! * cin * cfg.filters;
    // A conv does `taps` multiply-adds per output pixel; a transposed conv per input pixel.
    flops += 2 * taps * (cls === 'Conv2D' ? scaleOf(layer) : scaleOf(inbound));
  }
  return {
    params: model.countParams(),
    flopsPerPixel: Math.round(flops),
    activationsPerPixel: Math.round(activations),
  };
}
