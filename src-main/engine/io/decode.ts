// Decodes a photo into Pixels with sharp: EXIF orientation applied, grey kept grey, 16-bit kept
// 16-bit, alpha kept, colour values left in the file's own colour space (ignoreIcc stops sharp
// converting them to sRGB; the profile is re-attached on output). The original is only ever opened
// for reading. Images above the pixel limit are refused before any pixel is decoded.
import sharp, { type Metadata } from 'sharp';
import { basename } from 'node:path';
import { EngineError } from '../contract/engine-error.js';
import { DEFAULT_PIXEL_LIMIT } from '../../../src-shared/schemas/settings.js';
import { assertReadableFile, describeDecodeError } from './image-errors.js';
import { conversionWarnings, unsupportedSamplesReason } from './image-support.js';
import type { Pixels } from './pixels.js';
import { readPhotoExif } from './photo-exif.js';

export interface ImageInfo {
  path: string;
  /** sharp's container name: jpeg, png, tiff, webp, heif, gif… */
  format: string;
  /** 'av1' for AVIF inside a HEIF container. */
  compression?: string;
  width: number;
  height: number;
  depth: 8 | 16;
  grey: boolean;
  hasAlpha: boolean;
  icc?: Buffer;
  xmp?: Buffer;
  hasExif: boolean;
  /** The camera its EXIF names ("Canon EOS 80D"), when it does. */
  camera?: string;
  /** How the processed picture differs from the file (pages left out, CMYK converted), as sentences. */
  warnings: string[];
}

export interface DecodedImage {
  info: ImageInfo;
  pixels: Pixels;
}

/** sharp's reading of an image header: format, size, depth, channels, orientation, EXIF… */
export type ImageMetadata = Metadata;

/** An image's header as sharp reads it (a file's path, or encoded bytes); no pixels are decoded. */
export async function readImageMetadata(input: string | Buffer): Promise<ImageMetadata> {
  return sharp(input).metadata();
}

/** Reads an image's header and checks the pixel limit; no pixels are decoded. */
export async function probeImage(path: string, pixelLimit = DEFAULT_PIXEL_LIMIT): Promise<ImageInfo> {
  let meta: Metadata;
  await assertReadableFile(path);
  try {
    meta = await sharp(path, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw await describeDecodeError(path, error);
  }
  const { width, height, format } = meta;
  if (!width || !height || !format)
    throw new EngineError('unsupported', `${basename(path)}: the image has no readable size`, path);
  const pixels = width * height;
  if (pixels > pixelLimit) {
    throw new EngineError(
      'unsupported',
      `${basename(path)}: ${(pixels / 1e6).toFixed(1)} megapixels is above the limit of ${(pixelLimit / 1e6).toFixed(0)} megapixels (a safeguard against decompression bombs; raise it in the settings if the image is genuine)`,
      path,
    );
  }
  const unsupported = unsupportedSamplesReason(meta);
  if (unsupported) throw new EngineError('unsupported', `${basename(path)}: ${unsupported}`, path);
  const swapsSides = (meta.orientation ?? 1) >= 5;
  const info: ImageInfo = {
    path,
    format,
    width: swapsSides ? height : width,
    height: swapsSides ? width : height,
    depth: meta.depth === 'ushort' || meta.depth === 'short' ? 16 : 8,
    grey: meta.channels === 1 || meta.channels === 2 || meta.space === 'b-w' || meta.space === 'grey16',
    hasAlpha: meta.hasAlpha ?? false,
    hasExif: meta.exif !== undefined,
    warnings: conversionWarnings(meta),
  };
  const { camera } = readPhotoExif(meta.exif);
  if (camera) info.camera = camera;
  if (meta.compression) info.compression = meta.compression;
  if (meta.icc) info.icc = meta.icc;
  if (meta.xmp) info.xmp = meta.xmp;
  return info;
}

export async function decodeImage(path: string, pixelLimit = DEFAULT_PIXEL_LIMIT): Promise<DecodedImage> {
  const info = await probeImage(path, pixelLimit);
  // sharp's 'b-w' drops an alpha channel: grey+alpha is read as RGBA and packed back to two channels.
  const greyAlpha = info.grey && info.hasAlpha;
  const space = info.grey && !greyAlpha ? (info.depth === 16 ? 'grey16' : 'b-w') : info.depth === 16 ? 'rgb16' : 'srgb';
  try {
    const { data, info: raw } = await sharp(path, { limitInputPixels: pixelLimit, failOn: 'warning', ignoreIcc: true })
      .autoOrient()
      .toColourspace(space)
      .raw({ depth: info.depth === 16 ? 'ushort' : 'uchar' })
      .toBuffer({ resolveWithObject: true });
    let samples: Uint8Array | Uint16Array =
      info.depth === 16
        ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
        : new Uint8Array(data.buffer, data.byteOffset, data.length);
    let channels = raw.channels;
    if (greyAlpha && channels === 4) {
      const packed =
        info.depth === 16 ? new Uint16Array(raw.width * raw.height * 2) : new Uint8Array(raw.width * raw.height * 2);
      for (let i = 0, j = 0; i < samples.length; i += 4, j += 2) {
        packed[j] = samples[i]!;
        packed[j + 1] = samples[i + 3]!;
      }
      samples = packed;
      channels = 2;
    }
    return {
      info,
      pixels: { width: raw.width, height: raw.height, channels, data: samples, scale: info.depth === 16 ? 65535 : 255 },
    };
  } catch (error) {
    throw await describeDecodeError(path, error);
  }
}
