// Pixels → Raster for metrics: the metrics work on 0..1 floats whatever the decoded depth.
import type { Raster } from '../io/raster.js';
import type { Pixels } from '../io/pixels.js';

/** Float pixels (scale 1) viewed as a metrics Raster; integer pixels are converted to 0..1. */
export function metricsRaster(p: Pixels): Raster {
  const data = p.data instanceof Float32Array && p.scale === 1 ? p.data : Float32Array.from(p.data, (v) => v / p.scale);
  return { width: p.width, height: p.height, channels: p.channels, data };
}
