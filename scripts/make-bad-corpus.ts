// Makes the "bad input" corpus of issue #9 into a folder: every awkward file a user may drop on
// Clearframe (empty, truncated, mislabelled, bombs, odd sizes, odd pixel formats, EXIF orientations,
// hostile paths). Small (well under 1 MB) and deterministic; sharp makes the images, a few byte-level
// files (float/16-bit TIFF, the PNG bomb) are written by hand because sharp cannot make them.
// Each case says what the app must do with it: `decode` (denoise it and write an upright output) or
// `refuse` (fail that file alone with a message matching `message`).
//
//   npx tsx scripts/make-bad-corpus.ts <folder>      writes the corpus and manifest.json there
import { chmod, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';

export type Expectation = 'decode' | 'refuse';

export interface CorpusCase {
  /** Path relative to the corpus folder (POSIX separators). */
  file: string;
  kind: 'bytes' | 'format' | 'size' | 'orientation' | 'path' | 'bomb';
  description: string;
  expect: Expectation;
  /** For `refuse`: a case-insensitive pattern the error message must match to count as specific. */
  message?: string;
  /** For `decode`: the upright size of the output (after applying EXIF orientation). */
  width?: number;
  height?: number;
  /** For EXIF cases: the stored orientation tag (1–8). */
  orientation?: number;
  /** For animated files: how many frames the file holds. */
  frames?: number;
  /** For `refuse`: the header is intact, so a header-only scan may list it; decoding must refuse. */
  headerIntact?: boolean;
  /** Cases that only make sense under some conditions (e.g. unreadable files when not root). */
  requires?: 'non-root';
}

export interface CorpusManifest {
  folder: string;
  cases: CorpusCase[];
  /** Folders with links (loops) that a recursive scan must survive; relative paths. */
  loopFolders: string[];
}

/** A seeded PRNG (mulberry32): the corpus is identical on every run and every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A noisy gradient photo stand-in: smooth content plus Gaussian-ish noise, 8-bit, `channels` deep. */
export function noisyPixels(width: number, height: number, channels: number, seed: number): Buffer {
  const random = mulberry32(seed);
  const pixels = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const base = (x / Math.max(1, width - 1)) * 160 + (y / Math.max(1, height - 1)) * 60 + c * 20;
        const noise = (random() + random() + random() - 1.5) * 40;
        pixels[(y * width + x) * channels + c] = Math.max(0, Math.min(255, Math.round(base + noise)));
      }
    }
  }
  return pixels;
}

export function noisyImage(width: number, height: number, channels: 1 | 2 | 3 | 4, seed: number): Sharp {
  const image = sharp(noisyPixels(width, height, channels, seed), { raw: { width, height, channels } });
  // Without this sharp writes one- and two-channel input as RGB(A).
  return channels <= 2 ? image.toColourspace('b-w') : image;
}

/**
 * An image whose top-left quadrant is red and the rest blue, stored so that a viewer that applies
 * EXIF orientation `o` shows exactly that (the stored pixels are the inverse transform).
 */
export async function orientedJpeg(orientation: number, uprightWidth: number, uprightHeight: number): Promise<Buffer> {
  const w = uprightWidth;
  const h = uprightHeight;
  const upright = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const red = x < w / 2 && y < h / 2;
      upright.set(red ? [220, 30, 30] : [30, 30, 220], (y * w + x) * 3);
    }
  }
  // The stored image is the upright one with the inverse of the orientation applied. Each step is
  // its own sharp pass: within one pipeline sharp flops before it rotates, whatever the call order.
  const inverse: Record<number, Array<(s: Sharp) => Sharp>> = {
    1: [],
    2: [(s) => s.flop()],
    3: [(s) => s.rotate(180)],
    4: [(s) => s.flip()],
    5: [(s) => s.rotate(90), (s) => s.flop()], // transpose
    6: [(s) => s.rotate(-90)],
    7: [(s) => s.rotate(-90), (s) => s.flop()], // transverse
    8: [(s) => s.rotate(90)],
  };
  let raw = { data: upright, width: w, height: h };
  for (const step of inverse[orientation]!) {
    const out = await step(sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } }))
      .raw()
      .toBuffer({ resolveWithObject: true });
    raw = { data: out.data, width: out.info.width, height: out.info.height };
  }
  const stored = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } });
  return stored.jpeg({ quality: 95 }).withMetadata({ orientation }).toBuffer();
}

/**
 * A minimal uncompressed, single-strip, little-endian RGB TIFF with 16-bit, 32-bit integer or 32-bit
 * float samples. Float samples run 0..`floatScale` (1, or 255 as some tools write them).
 */
export function handMadeTiff(
  width: number,
  height: number,
  sample: 'uint16' | 'uint32' | 'float32',
  seed: number,
  floatScale = 1,
): Buffer {
  const channels = 3;
  const bytesPerSample = sample === 'uint16' ? 2 : 4;
  const dataBytes = width * height * channels * bytesPerSample;
  const entries: Array<[tag: number, type: number, count: number, value: number]> = [];
  const headerBytes = 8;
  const bitsOffset = headerBytes; // 3 SHORTs for BitsPerSample
  const formatOffset = bitsOffset + 6; // 3 SHORTs for SampleFormat
  const dataOffset = formatOffset + 6;
  const ifdOffset = dataOffset + dataBytes;
  const SHORT = 3;
  const LONG = 4;
  entries.push([256, LONG, 1, width]); // ImageWidth
  entries.push([257, LONG, 1, height]); // ImageLength
  entries.push([258, SHORT, 3, bitsOffset]); // BitsPerSample
  entries.push([259, SHORT, 1, 1]); // Compression: none
  entries.push([262, SHORT, 1, 2]); // Photometric: RGB
  entries.push([273, LONG, 1, dataOffset]); // StripOffsets
  entries.push([277, SHORT, 1, channels]); // SamplesPerPixel
  entries.push([278, LONG, 1, height]); // RowsPerStrip
  entries.push([279, LONG, 1, dataBytes]); // StripByteCounts
  entries.push([284, SHORT, 1, 1]); // PlanarConfiguration: chunky
  entries.push([339, SHORT, 3, formatOffset]); // SampleFormat
  const ifdBytes = 2 + entries.length * 12 + 4;
  const out = Buffer.alloc(ifdOffset + ifdBytes);
  out.write('II', 0, 'latin1');
  out.writeUInt16LE(42, 2);
  out.writeUInt32LE(ifdOffset, 4);
  for (let c = 0; c < 3; c++) {
    out.writeUInt16LE(bytesPerSample * 8, bitsOffset + c * 2);
    out.writeUInt16LE(sample === 'float32' ? 3 : 1, formatOffset + c * 2);
  }
  const random = mulberry32(seed);
  for (let i = 0; i < width * height * channels; i++) {
    const x = (i / channels) % width;
    const value = Math.min(1, Math.max(0, (x / width) * 0.8 + (random() - 0.5) * 0.2));
    if (sample === 'uint16') out.writeUInt16LE(Math.round(value * 65535), dataOffset + i * 2);
    else if (sample === 'uint32') out.writeUInt32LE(Math.round(value * 0xffffffff), dataOffset + i * 4);
    else out.writeFloatLE(value * floatScale, dataOffset + i * 4);
  }
  out.writeUInt16LE(entries.length, ifdOffset);
  entries.forEach(([tag, type, count, value], i) => {
    const at = ifdOffset + 2 + i * 12;
    out.writeUInt16LE(tag, at);
    out.writeUInt16LE(type, at + 2);
    out.writeUInt32LE(count, at + 4);
    if (type === SHORT && count === 1) out.writeUInt16LE(value, at + 8);
    else out.writeUInt32LE(value, at + 8);
  });
  out.writeUInt32LE(0, ifdOffset + 2 + entries.length * 12);
  return out;
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb: a valid PNG header declaring `width`×`height` greyscale pixels, followed by
 * a small deflate stream of zero rows (a few hundred bytes in all). Decoding it fully would need
 * width×height bytes; a careful reader refuses it from the header alone.
 */
export function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = deflateSync(Buffer.alloc((width + 1) * 16), { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', rows),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const TRUNCATED =
  'truncat|corrupt|premature|incomplete|damaged|invalid|unexpected end|could not (be )?(read|decode)|unsupported|not a valid';
const THIRTY_TWO_BIT = '32-bit .*not supported';
const NOT_AN_IMAGE =
  'not an image|unsupported|unknown|unrecogni[sz]ed|not a (valid|supported)|could not (be )?(read|decode)|format';

/** Writes the corpus into `folder` (created; emptied first) and answers its manifest. */
export async function makeBadCorpus(folder: string): Promise<CorpusManifest> {
  const dir = resolve(folder);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const cases: CorpusCase[] = [];
  const put = async (c: CorpusCase, bytes: Buffer | Uint8Array): Promise<void> => {
    const target = join(dir, c.file);
    await mkdir(join(target, '..'), { recursive: true });
    await writeFile(target, bytes);
    cases.push(c);
  };

  const jpeg = await noisyImage(48, 32, 3, 1).jpeg({ quality: 90 }).toBuffer();
  const png = await noisyImage(48, 32, 3, 2).png().toBuffer();
  const tiff = await noisyImage(48, 32, 3, 3).tiff({ compression: 'lzw' }).toBuffer();

  // Bytes that are not (whole) images.
  await put(
    {
      file: 'zero-byte.jpg',
      kind: 'bytes',
      description: 'an empty file',
      expect: 'refuse',
      message: 'empty|zero|0 bytes|no data|' + NOT_AN_IMAGE,
    },
    Buffer.alloc(0),
  );
  await put(
    {
      file: 'truncated.jpg',
      kind: 'bytes',
      description: 'a JPEG cut at half its length',
      expect: 'refuse',
      message: TRUNCATED,
      headerIntact: true,
    },
    jpeg.subarray(0, jpeg.length >> 1),
  );
  await put(
    {
      file: 'truncated.png',
      kind: 'bytes',
      description: 'a PNG cut at half its length',
      expect: 'refuse',
      message: TRUNCATED,
      headerIntact: true,
    },
    png.subarray(0, png.length >> 1),
  );
  await put(
    {
      file: 'truncated.tiff',
      kind: 'bytes',
      description: 'a TIFF cut at half its length',
      expect: 'refuse',
      message: TRUNCATED,
    },
    tiff.subarray(0, tiff.length >> 1),
  );
  await put(
    { file: 'text.jpg', kind: 'bytes', description: 'a text file named .jpg', expect: 'refuse', message: NOT_AN_IMAGE },
    Buffer.from('This is not a photo.\nJust some text with a .jpg name.\n'),
  );
  await put(
    {
      file: 'png-content.jpg',
      kind: 'format',
      description: 'a PNG named .jpg (read by content)',
      expect: 'decode',
      width: 48,
      height: 32,
    },
    png,
  );

  // Bombs: a tiny file declaring 100,000 × 100,000 px, and a real 1,200 × 1,000 image that only the
  // lowest configurable limit (maxPixels = 1,000,000) refuses.
  await put(
    {
      file: 'bomb-100000x100000.png',
      kind: 'bomb',
      description: 'a 1 KB PNG declaring 10^10 pixels',
      expect: 'refuse',
      message: 'pixel|too large|limit|exceed|dimension',
    },
    pngBomb(100_000, 100_000),
  );
  await put(
    {
      file: 'limit-1200x1000.png',
      kind: 'bomb',
      description: '1.2 Mpx: refused when maxPixels = 1,000,000, fine by default',
      expect: 'decode',
      width: 1200,
      height: 1000,
    },
    await sharp({ create: { width: 1200, height: 1000, channels: 3, background: '#6080a0' } })
      .png()
      .toBuffer(),
  );

  // Sizes.
  await put(
    { file: 'size-1x1.png', kind: 'size', description: '1×1 px', expect: 'decode', width: 1, height: 1 },
    await noisyImage(1, 1, 3, 4).png().toBuffer(),
  );
  await put(
    { file: 'size-3x5.png', kind: 'size', description: '3×5 px', expect: 'decode', width: 3, height: 5 },
    await noisyImage(3, 5, 3, 5).png().toBuffer(),
  );
  await put(
    {
      file: 'size-65000x8.png',
      kind: 'size',
      description: '65,000×8 px (extreme aspect)',
      expect: 'decode',
      width: 65000,
      height: 8,
    },
    await noisyImage(65000, 8, 1, 6).png().toBuffer(),
  );

  // Pixel formats.
  await put(
    { file: 'cmyk.jpg', kind: 'format', description: 'CMYK JPEG', expect: 'decode', width: 48, height: 32 },
    await noisyImage(48, 32, 3, 7).toColourspace('cmyk').jpeg().toBuffer(),
  );
  await put(
    { file: 'rgb16.tiff', kind: 'format', description: '16-bit RGB TIFF', expect: 'decode', width: 40, height: 24 },
    handMadeTiff(40, 24, 'uint16', 8),
  );
  // 32-bit samples are refused rather than guessed at (float 0–1 or 0–255; integers clipped by libvips).
  await put(
    {
      file: 'float32.tiff',
      kind: 'format',
      description: '32-bit float RGB TIFF, 0–1',
      expect: 'refuse',
      message: THIRTY_TWO_BIT,
    },
    handMadeTiff(40, 24, 'float32', 9),
  );
  await put(
    {
      file: 'float32-255.tiff',
      kind: 'format',
      description: '32-bit float RGB TIFF, 0–255',
      expect: 'refuse',
      message: THIRTY_TWO_BIT,
    },
    handMadeTiff(40, 24, 'float32', 9, 255),
  );
  await put(
    {
      file: 'uint32.tiff',
      kind: 'format',
      description: '32-bit integer RGB TIFF',
      expect: 'refuse',
      message: THIRTY_TWO_BIT,
    },
    handMadeTiff(40, 24, 'uint32', 9),
  );
  const page = await noisyImage(32, 24, 3, 14).raw().toBuffer();
  await put(
    {
      file: 'three-pages.tiff',
      kind: 'format',
      description: 'a 3-page TIFF (page 1 is processed, with a warning)',
      expect: 'decode',
      width: 32,
      height: 24,
    },
    await sharp(Buffer.concat([page, page, page]), { raw: { width: 32, height: 72, channels: 3, pageHeight: 24 } })
      .tiff()
      .toBuffer(),
  );
  await put(
    { file: 'rgb16.png', kind: 'format', description: '16-bit RGB PNG', expect: 'decode', width: 40, height: 24 },
    await sharp(
      new Uint16Array(noisyPixels(40, 24, 3, 10)).map((v) => v * 257),
      { raw: { width: 40, height: 24, channels: 3 } },
    )
      .toColourspace('rgb16')
      .png()
      .toBuffer(),
  );
  await put(
    {
      file: 'palette.png',
      kind: 'format',
      description: 'palette (indexed) PNG',
      expect: 'decode',
      width: 48,
      height: 32,
    },
    await noisyImage(48, 32, 3, 11).png({ palette: true }).toBuffer(),
  );
  await put(
    {
      file: 'grey-alpha.png',
      kind: 'format',
      description: 'greyscale + alpha PNG',
      expect: 'decode',
      width: 48,
      height: 32,
    },
    await noisyImage(48, 32, 2, 12).png().toBuffer(),
  );
  await put(
    { file: 'grey.png', kind: 'format', description: '8-bit greyscale PNG', expect: 'decode', width: 48, height: 32 },
    await noisyImage(48, 32, 1, 13).png().toBuffer(),
  );
  const frames = await Promise.all([14, 15, 16].map((seed) => noisyImage(32, 24, 3, seed).png().toBuffer()));
  await put(
    {
      file: 'animated.webp',
      kind: 'format',
      description: 'animated WebP, 3 frames of 32×24',
      expect: 'decode',
      width: 32,
      height: 24,
      frames: 3,
    },
    await sharp(frames, { join: { animated: true } })
      .webp({ loop: 0, delay: [100, 100, 100] })
      .toBuffer(),
  );
  await put(
    {
      file: 'animated.gif',
      kind: 'format',
      description: 'animated GIF, 3 frames of 32×24',
      expect: 'decode',
      width: 32,
      height: 24,
      frames: 3,
    },
    await sharp(frames, { join: { animated: true } })
      .gif({ loop: 0 })
      .toBuffer(),
  );

  // EXIF orientations: upright 40×24, stored rotated/flipped.
  for (let o = 1; o <= 8; o++) {
    await put(
      {
        file: `exif-orientation-${o}.jpg`,
        kind: 'orientation',
        description: `EXIF orientation ${o}`,
        expect: 'decode',
        width: 40,
        height: 24,
        orientation: o,
      },
      await orientedJpeg(o, 40, 24),
    );
  }

  // Paths.
  const small = await noisyImage(24, 16, 3, 20).png().toBuffer();
  await put(
    { file: 'café naïve ü.png', kind: 'path', description: 'non-ASCII name', expect: 'decode', width: 24, height: 16 },
    small,
  );
  await put(
    { file: '写真 日本語.png', kind: 'path', description: 'CJK name', expect: 'decode', width: 24, height: 16 },
    small,
  );
  await put(
    { file: '📷 holiday 🌊.png', kind: 'path', description: 'emoji name', expect: 'decode', width: 24, height: 16 },
    small,
  );
  await put(
    {
      file: 'with  two   spaces .png',
      kind: 'path',
      description: 'spaces (doubled, trailing before the extension)',
      expect: 'decode',
      width: 24,
      height: 16,
    },
    small,
  );
  const longDir = Array.from({ length: 6 }, (_, i) => `very-long-folder-name-${i}-${'x'.repeat(120)}`).join('/');
  await put(
    {
      file: `${longDir}/${'long-file-name-'.repeat(14)}.png`,
      kind: 'path',
      description: 'a path of ~1,000 characters (file name 215 bytes)',
      expect: 'decode',
      width: 24,
      height: 16,
    },
    small,
  );
  await put(
    {
      file: `${'n'.repeat(246)}.png`,
      kind: 'path',
      description: 'a 250-byte file name (most file systems allow 255)',
      expect: 'decode',
      width: 24,
      height: 16,
    },
    small,
  );
  await put(
    {
      file: 'Case-Collide.png',
      kind: 'path',
      description: 'collides with case-collide.PNG on case-insensitive file systems',
      expect: 'decode',
      width: 24,
      height: 16,
    },
    small,
  );
  await put(
    {
      file: 'case-collide.PNG',
      kind: 'path',
      description: 'collides with Case-Collide.png on case-insensitive file systems',
      expect: 'decode',
      width: 24,
      height: 16,
    },
    await noisyImage(24, 16, 3, 21).png().toBuffer(),
  );
  await symlink('grey.png', join(dir, 'symlink-to-grey.png'));
  cases.push({
    file: 'symlink-to-grey.png',
    kind: 'path',
    description: 'a symlink to an image in the same folder',
    expect: 'decode',
    width: 48,
    height: 32,
  });
  await symlink('no-such-file.png', join(dir, 'dangling-symlink.png'));
  cases.push({
    file: 'dangling-symlink.png',
    kind: 'path',
    description: 'a symlink to a missing file',
    expect: 'refuse',
    message: 'not found|does not exist|no such|missing|ENOENT|could not (be )?read',
  });
  await put(
    {
      file: 'unreadable.png',
      kind: 'path',
      description: 'a file without read permission (chmod 000)',
      expect: 'refuse',
      message: 'permission|access|denied|EACCES|could not (be )?read|unreadable',
      requires: 'non-root',
    },
    small,
  );
  await chmod(join(dir, 'unreadable.png'), 0o000);

  // A folder that links to itself and to its parent: a recursive scan must not loop forever.
  await mkdir(join(dir, 'loop'), { recursive: true });
  await writeFile(join(dir, 'loop', 'inside-loop.png'), small);
  cases.push({
    file: 'loop/inside-loop.png',
    kind: 'path',
    description: 'an image inside a folder holding symlink loops',
    expect: 'decode',
    width: 24,
    height: 16,
  });
  await symlink('.', join(dir, 'loop', 'self'));
  await symlink('..', join(dir, 'loop', 'parent'));

  const manifest: CorpusManifest = { folder: dir, cases, loopFolders: ['loop'] };
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}

/** Makes a folder of `count` noisy images of varied sizes (sides in [minSide, maxSide]), seeded. */
export async function makeLoadCorpus(
  folder: string,
  count: number,
  options: { minSide?: number; maxSide?: number; seed?: number } = {},
): Promise<string[]> {
  const { minSide = 64, maxSide = 256, seed = 500 } = options;
  const random = mulberry32(seed);
  await mkdir(folder, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const width = minSide + Math.floor(random() * (maxSide - minSide + 1));
    const height = minSide + Math.floor(random() * (maxSide - minSide + 1));
    const grey = random() < 0.5;
    const name = `load-${String(i).padStart(4, '0')}-${width}x${height}.${i % 3 === 0 ? 'jpg' : 'png'}`;
    const image = noisyImage(width, height, grey ? 1 : 3, seed + i);
    const bytes = i % 3 === 0 ? await image.jpeg({ quality: 90 }).toBuffer() : await image.png().toBuffer();
    await writeFile(join(folder, name), bytes);
    files.push(join(folder, name));
  }
  return files;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = process.argv[2];
  if (target === undefined) {
    console.error('usage: tsx scripts/make-bad-corpus.ts <folder>');
    process.exit(2);
  }
  const manifest = await makeBadCorpus(target);
  console.log(`Wrote ${manifest.cases.length} cases to ${manifest.folder}`);
}
