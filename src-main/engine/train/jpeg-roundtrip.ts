// The last step of a camera's pipeline: 8-bit quantisation and JPEG compression, through sharp (the
// same libjpeg the app decodes photos with), so training patches carry real JPEG blocking and the
// way it reshapes noise. Deterministic for a given input and quality.
import { jpegRoundTrip8 } from '../io/samples-8bit.js';

export interface JpegOptions {
  quality: number;
  /** 4:2:0 chroma subsampling (colour only), as most cameras write; otherwise 4:4:4. */
  chroma420: boolean;
}

/** HWC 0..1 samples as 8-bit bytes (clipped, rounded to the nearest level). */
export function toBytes(data: Float32Array): Uint8Array {
  return Uint8Array.from(data, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
}

/** Rounds HWC 0..1 samples to 8 bits and back. */
export function quantise8(data: Float32Array): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, data[i]!)) * 255) / 255;
  return out;
}

/** Encodes HWC 0..1 samples as a JPEG and decodes them again (0..1, same layout). */
export async function jpegRoundTrip(
  data: Float32Array,
  width: number,
  height: number,
  channels: 1 | 3,
  opts: JpegOptions,
): Promise<Float32Array> {
  const { data: raw, info } = await jpegRoundTrip8(
    toBytes(data),
    { width, height, channels },
    { quality: opts.quality, chromaSubsampling: opts.chroma420 && channels === 3 ? '4:2:0' : '4:4:4' },
  );
  if (info.channels !== channels || info.width !== width || info.height !== height) {
    throw new Error(
      `JPEG round trip gave ${info.width}×${info.height}×${info.channels}, expected ${width}×${height}×${channels}`,
    );
  }
  return Float32Array.from(raw, (v) => v / 255);
}

/**
 * What a camera writes of a noisy patch, and of the clean scene as the model's target: both through its
 * JPEG (`jpeg`), or for a lossless camera the noisy patch rounded to 8 bits and the clean one as it is.
 */
export async function cameraPair(
  noisyLinear: Float32Array,
  clean: Float32Array,
  shape: { width: number; height: number; channels: 1 | 3 },
  jpeg: JpegOptions | undefined,
): Promise<{ noisy: Float32Array; target: Float32Array }> {
  if (!jpeg) return { noisy: quantise8(noisyLinear), target: clean };
  const { width, height, channels } = shape;
  return {
    noisy: await jpegRoundTrip(noisyLinear, width, height, channels, jpeg),
    target: await jpegRoundTrip(clean, width, height, channels, jpeg),
  };
}
