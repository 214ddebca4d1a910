// The one in-memory image shape the engine's maths works on: interleaved (HWC) float samples in 0..1.
// Decoders and encoders convert to and from it at the edges; everything in between stays pure.

export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  /** Interleaved samples, row-major: index = (y * width + x) * channels + c. Values nominally 0..1. */
  readonly data: Float32Array;
}

export function createRaster(width: number, height: number, channels: number): Raster {
  return { width, height, channels, data: new Float32Array(width * height * channels) };
}
