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

/** One channel of an interleaved raster, as its own single-channel raster. */
export function extractChannel(source: Raster, channel: number): Raster {
  const out = createRaster(source.width, source.height, 1);
  const n = source.width * source.height;
  for (let i = 0; i < n; i++) out.data[i] = source.data[i * source.channels + channel]!;
  return out;
}

/** Writes a single-channel raster into one channel of an interleaved one of the same size. */
export function insertChannel(target: Raster, channel: number, plane: Raster): void {
  const n = target.width * target.height;
  for (let i = 0; i < n; i++) target.data[i * target.channels + channel] = plane.data[i]!;
}
