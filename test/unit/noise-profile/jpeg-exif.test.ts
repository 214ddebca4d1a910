// JPEG quality read back from the quantisation tables of JPEGs sharp (libjpeg) wrote at known
// qualities, the chroma subsampling from the frame header, and camera + ISO from EXIF sharp wrote.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  estimateJpegQuality,
  isChroma420,
  readJpegTables,
} from '../../../src-main/engine/noise-profile/jpeg-tables.js';
import { readPhotoExif } from '../../../src-main/engine/io/photo-exif.js';

async function jpeg(
  quality: number,
  chroma: '4:2:0' | '4:4:4',
  exif?: Record<string, Record<string, string>>,
): Promise<Buffer> {
  let image = sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 120, g: 90, b: 60 } } }).jpeg({
    quality,
    chromaSubsampling: chroma,
  });
  if (exif) image = image.withExif(exif);
  return image.toBuffer();
}

describe('JPEG tables', () => {
  it.each([35, 60, 80, 92, 98])('reads quality %i back exactly from the tables', async (quality) => {
    const tables = readJpegTables(await jpeg(quality, '4:2:0'));
    expect(tables).toBeDefined();
    expect(estimateJpegQuality(tables!)).toEqual({ quality, distance: 0 });
  });

  it('tells 4:2:0 from 4:4:4', async () => {
    expect(isChroma420(readJpegTables(await jpeg(90, '4:2:0'))!)).toBe(true);
    expect(isChroma420(readJpegTables(await jpeg(90, '4:4:4'))!)).toBe(false);
  });

  it('answers undefined for bytes that are not a JPEG', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    expect(readJpegTables(png)).toBeUndefined();
  });
});

describe('readPhotoExif', () => {
  it('reads the camera (make + model) and the ISO sharp wrote', async () => {
    const bytes = await jpeg(90, '4:2:0', {
      IFD0: { Make: 'Canon', Model: 'EOS 80D' },
      IFD2: { ISOSpeedRatings: '3200' },
    });
    expect(readPhotoExif((await sharp(bytes).metadata()).exif)).toEqual({ camera: 'Canon EOS 80D', iso: 3200 });
  });

  it('does not repeat a make the model already names, and reads nothing from a photo without EXIF', async () => {
    const named = await jpeg(90, '4:2:0', { IFD0: { Make: 'Canon', Model: 'Canon EOS 600D' } });
    expect(readPhotoExif((await sharp(named).metadata()).exif)).toEqual({ camera: 'Canon EOS 600D' });
    expect(readPhotoExif((await sharp(await jpeg(90, '4:2:0')).metadata()).exif)).toEqual({});
    expect(readPhotoExif(Buffer.from('Exif\0\0garbage-not-tiff'))).toEqual({});
  });
});
