import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAtomically } from '../../src-main/engine/io/atomic-write.js';
import { decodeImage } from '../../src-main/engine/io/decode.js';
import { writeDenoisedImage } from '../../src-main/engine/io/encode.js';
import { numberedPath, outputFormatFor, outputPathFor } from '../../src-main/engine/io/output-naming.js';
import { colourPhoto } from '../helpers/samples.js';

let dir: string;
const XMP =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Clearframe test</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cf-io-'));
  const crop = (await colourPhoto(0)).extract({ left: 0, top: 0, width: 96, height: 64 });
  // A sideways camera JPEG: EXIF orientation 6, a Display P3 profile, XMP.
  await crop
    .clone()
    .withIccProfile('p3')
    .withExif({ IFD0: { Make: 'ClearframeCam' } })
    .withMetadata({ orientation: 6 })
    .withXmp(XMP)
    .jpeg({ quality: 90 })
    .toFile(join(dir, 'sideways.jpg'));
  await crop.clone().withIccProfile('p3').png().toFile(join(dir, 'colour.png'));
  await crop.clone().ensureAlpha(0.25).png().toFile(join(dir, 'rgba.png'));
  await crop.clone().toColourspace('b-w').png().toFile(join(dir, 'grey.png'));
  await crop.clone().toColourspace('rgb16').withIccProfile('p3').png().toFile(join(dir, 'deep.png'));
  const jpeg = await readFile(join(dir, 'sideways.jpg'));
  await writeFile(join(dir, 'truncated.jpg'), jpeg.subarray(0, 700));
  await writeFile(join(dir, 'notes.jpg'), 'this is not an image');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('decodeImage', () => {
  it('applies EXIF orientation and reports depth, channels and metadata', async () => {
    const { info, pixels } = await decodeImage(join(dir, 'sideways.jpg'));
    expect([pixels.width, pixels.height, pixels.channels]).toEqual([64, 96, 3]);
    expect([info.width, info.height, info.depth, info.hasExif]).toEqual([64, 96, 8, true]);
    expect(info.icc?.length).toBeGreaterThan(100);
    expect(info.xmp?.toString()).toContain('Clearframe test');
  });
  it('keeps grey as one channel, alpha as the last channel and 16-bit as 16-bit', async () => {
    expect((await decodeImage(join(dir, 'grey.png'))).pixels.channels).toBe(1);
    expect((await decodeImage(join(dir, 'rgba.png'))).pixels.channels).toBe(4);
    const deep = await decodeImage(join(dir, 'deep.png'));
    expect(deep.pixels.data).toBeInstanceOf(Uint16Array);
    expect(deep.pixels.scale).toBe(65535);
  });
  it('refuses images above the pixel limit before decoding', async () => {
    await expect(decodeImage(join(dir, 'colour.png'), 5000)).rejects.toThrow(
      /colour\.png: 0\.0 megapixels is above the limit|colour\.png: .* above the limit/,
    );
  });
  it('names the file and the reason for broken files', async () => {
    await expect(decodeImage(join(dir, 'truncated.jpg'))).rejects.toThrow(
      /^truncated\.jpg: not a valid JPEG \(truncated at byte 700\)$/,
    );
    await expect(decodeImage(join(dir, 'notes.jpg'))).rejects.toThrow(/^notes\.jpg: not an image Clearframe can read/);
    await expect(decodeImage(join(dir, 'missing.png'))).rejects.toThrow(/^missing\.png: file not found$/);
  });
});

describe('writeDenoisedImage', () => {
  it('writes pixels exactly (PNG), upright, keeping the ICC profile', async () => {
    const src = await decodeImage(join(dir, 'colour.png'));
    const changed = { ...src.pixels, data: src.pixels.data.map((v) => 255 - v) };
    const out = await writeDenoisedImage(changed, src.info, join(dir, 'out', 'colour.png'), { format: 'png' });
    const back = await decodeImage(out);
    expect(
      Buffer.compare(
        Buffer.from(back.pixels.data.buffer, back.pixels.data.byteOffset, back.pixels.data.byteLength),
        Buffer.from(changed.data),
      ),
    ).toBe(0);
    expect(back.info.icc).toEqual(src.info.icc);
  });
  it('keeps EXIF, ICC and XMP of a JPEG and resets orientation', async () => {
    const src = await decodeImage(join(dir, 'sideways.jpg'));
    const out = await writeDenoisedImage(src.pixels, src.info, join(dir, 'out', 'sideways.jpg'), {
      format: 'jpeg',
      jpegQuality: 95,
    });
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height, meta.orientation ?? 1]).toEqual([64, 96, 1]);
    expect(meta.exif?.toString('latin1')).toContain('ClearframeCam');
    expect(meta.icc).toEqual(src.info.icc);
    expect(meta.xmp?.toString()).toContain('Clearframe test');
  });
  it('keeps alpha, grey and 16-bit depth', async () => {
    for (const [name, channels, depth] of [
      ['rgba.png', 4, 'uchar'],
      ['grey.png', 1, 'uchar'],
      ['deep.png', 3, 'ushort'],
    ] as const) {
      const src = await decodeImage(join(dir, name));
      const out = await writeDenoisedImage(src.pixels, src.info, join(dir, 'out', name), { format: 'png' });
      const meta = await sharp(out).metadata();
      expect([name, meta.channels, meta.depth]).toEqual([name, channels, depth]);
      const back = await decodeImage(out);
      expect(Array.from(back.pixels.data.slice(0, 400))).toEqual(Array.from(src.pixels.data.slice(0, 400)));
    }
    expect((await decodeImage(join(dir, 'out', 'deep.png'))).info.icc?.length).toBeGreaterThan(100);
  });
  it('never overwrites: a taken name gets " (2)", and no temp files are left', async () => {
    const src = await decodeImage(join(dir, 'grey.png'));
    const target = join(dir, 'twice', 'grey.png');
    expect(await writeDenoisedImage(src.pixels, src.info, target, { format: 'png' })).toBe(target);
    expect(await writeDenoisedImage(src.pixels, src.info, target, { format: 'png' })).toBe(
      join(dir, 'twice', 'grey (2).png'),
    );
    expect((await readdir(join(dir, 'twice'))).sort()).toEqual(['grey (2).png', 'grey.png']);
  });
  it('removes the temp file when producing the output fails', async () => {
    const target = join(dir, 'fails.png');
    await expect(
      commitAtomically(target, async (temp) => {
        await writeFile(temp, 'partial');
        throw new Error('encoder died');
      }),
    ).rejects.toThrow('encoder died');
    expect((await readdir(dir)).filter((f) => f.includes('fails'))).toEqual([]);
  });
});

describe('output naming', () => {
  it('puts outputs in denoised/ beside the original, or in --out, in the output format', () => {
    expect(outputPathFor('/p/a/photo.JPG', { format: 'jpeg', modelId: 'm' })).toBe('/p/a/denoised/photo.jpg');
    expect(outputPathFor('/p/a/photo.png', { format: 'png', modelId: 'm', pattern: '{name}-{model}' })).toBe(
      '/p/a/photo-m.png',
    );
    expect(outputPathFor('/p/a/photo.png', { format: 'tiff', modelId: 'm', outDir: '/o' })).toBe('/o/photo.tif');
    expect(numberedPath('/o/photo.tif', 3)).toBe('/o/photo (3).tif');
    expect([outputFormatFor('heif', 'av1'), outputFormatFor('heif', 'hevc'), outputFormatFor('gif')]).toEqual([
      'avif',
      'jpeg',
      'png',
    ]);
  });
});
