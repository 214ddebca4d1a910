// 8-bit raw samples in and out of sharp, for the work that needs no full-fidelity decode: reading a
// photo as 8-bit grey or sRGB (evaluation, calibration, noise profiles, sharpness), encoding raw
// samples as PNG (previews) or through JPEG and back (training noise), resizing them. Photos that
// are denoised and saved go through decode.ts and encode.ts instead.
import sharp from 'sharp';

/** The layout of raw interleaved 8-bit samples. */
export interface RawShape {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** Raw 8-bit samples and their layout, as sharp returns them. */
export interface Samples8 {
  data: Buffer;
  info: { width: number; height: number; channels: number };
}

export interface ReadSamplesOptions {
  /** 'b-w': one grey channel; 'srgb': three channels. */
  colourspace: 'b-w' | 'srgb';
  /** A rectangle of the file (before anything else) instead of the whole picture. */
  region?: { left: number; top: number; width: number; height: number };
}

/** A file's pixels as 8-bit samples, alpha dropped, in grey or sRGB (no EXIF rotation). */
export async function readSamples8(file: string, options: ReadSamplesOptions): Promise<Samples8> {
  const source = options.region ? sharp(file).extract(options.region) : sharp(file);
  return source.removeAlpha().toColourspace(options.colourspace).raw().toBuffer({ resolveWithObject: true });
}

/** A file's luma as 8-bit samples, reduced to fit `side`×`side` (never enlarged). */
export async function readLumaWithin(file: string, side: number): Promise<Samples8> {
  return sharp(file)
    .resize(side, side, { fit: 'inside', withoutEnlargement: true })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
}

/** Raw 8-bit samples as a PNG (sharp's default compression unless `compressionLevel` says otherwise). */
export async function encodePng(
  samples: Uint8Array,
  shape: RawShape,
  options?: { compressionLevel: number },
): Promise<Buffer> {
  return sharp(samples, { raw: shape }).png(options).toBuffer();
}

/** Raw 8-bit samples stretched to exactly `width`×`height`. */
export async function resizeSamples8(
  samples: Uint8Array,
  shape: RawShape,
  width: number,
  height: number,
): Promise<Samples8> {
  return sharp(samples, { raw: shape })
    .resize(width, height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
}

/**
 * Raw 8-bit samples area-averaged to half their size (rounded), then enlarged by Lanczos-3 to exactly
 * `width`×`height`: content made as smooth per pixel as a full-resolution photo's (see
 * train/full-resolution-content.ts).
 */
export async function halveThenEnlarge8(
  samples: Uint8Array,
  shape: RawShape,
  width: number,
  height: number,
): Promise<Samples8> {
  const half = { width: Math.max(1, Math.round(shape.width / 2)), height: Math.max(1, Math.round(shape.height / 2)) };
  const halved = await sharp(samples, { raw: shape })
    .resize(half.width, half.height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  return sharp(halved, { raw: { ...half, channels: shape.channels } })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
}

/** Raw 8-bit grey or RGB samples encoded as a JPEG and decoded again into the same channel count. */
export async function jpegRoundTrip8(
  samples: Uint8Array,
  shape: RawShape & { channels: 1 | 3 },
  jpeg: { quality: number; chromaSubsampling: '4:2:0' | '4:4:4' },
): Promise<Samples8> {
  const encoded = await sharp(samples, { raw: shape }).jpeg(jpeg).toBuffer();
  let decoded = sharp(encoded);
  decoded = shape.channels === 1 ? decoded.extractChannel(0) : decoded.removeAlpha();
  return decoded.raw().toBuffer({ resolveWithObject: true });
}
