// Decoded pixels as the engine keeps them between decode and encode: interleaved samples in their
// native depth (8-bit, 16-bit, or float for evaluation), so a 100-MP photo costs 300 MB, not 1.2 GB
// of floats. Tiles are converted to float on the way into the network and back on the way out.

export type SampleArray = Uint8Array | Uint16Array | Float32Array;

export interface Pixels {
  readonly width: number;
  readonly height: number;
  /** Interleaved channels: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. Alpha is always last. */
  readonly channels: number;
  readonly data: SampleArray;
  /** The sample value meaning full intensity: 255, 65535, or 1 for float data. */
  readonly scale: number;
}

export function createPixels(width: number, height: number, channels: number, depth: 8 | 16 | 'float'): Pixels {
  const n = width * height * channels;
  if (depth === 8) return { width, height, channels, data: new Uint8Array(n), scale: 255 };
  if (depth === 16) return { width, height, channels, data: new Uint16Array(n), scale: 65535 };
  return { width, height, channels, data: new Float32Array(n), scale: 1 };
}

/** Channels that carry colour (alpha excluded). */
export function colourChannels(channels: number): number {
  return channels === 2 || channels === 4 ? channels - 1 : channels;
}

/** Stores a 0..1 float into a sample array, clipping, rounding integers to the nearest level. */
export function storeSample(target: Pixels, index: number, value: number): void {
  const v = value < 0 ? 0 : value > 1 ? 1 : value;
  target.data[index] = target.scale === 1 ? v : Math.round(v * target.scale);
}

export function clonePixels(source: Pixels): Pixels {
  return { ...source, data: source.data.slice() };
}

/** The samples as 8-bit (shared when already 8-bit), for 8-bit encoders and previews. */
export function to8BitSamples(pixels: Pixels): Uint8Array {
  if (pixels.data instanceof Uint8Array) return pixels.data;
  const out = new Uint8Array(pixels.data.length);
  const k = 255 / pixels.scale;
  for (let i = 0; i < out.length; i++) out[i] = Math.round(Math.min(pixels.scale, Math.max(0, pixels.data[i]!)) * k);
  return out;
}
