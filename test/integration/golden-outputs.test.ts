// Outputs byte for byte: fixed inputs (made from arithmetic and a seeded generator, so every machine
// makes the same bytes) denoised with every shipped model through the CLI from source — argument
// parsing, defaults, the job queue, the engine process and its protocol, tiling, the runtimes, the
// encoders. The hashes in test/golden/denoise-outputs.json were recorded before a refactor, so a
// refactor that changes any output fails here.
//
// Everywhere, each output's pixels must match the recorded ones to within what another CPU kernel's
// rounding can move them (PSNR ≥ 45 dB against the recorded pixels, mean difference ≤ 0.5 of an
// 8-bit step); ONNX Runtime's kernels differ with the instruction set (AVX-512 VNNI or AVX2 only), so
// the exact hashes are compared only on a machine with the recorded fingerprint (CPU features, core count,
// runtime and libvips versions). `CLEARFRAME_RECORD_GOLDEN=1` records them anew: do that only when an output
// is meant to change, and say so in the commit.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/images.js';

const goldenDir = join(repoRoot, 'test', 'golden');
const goldenFile = join(goldenDir, 'denoise-outputs.json');
const record = process.env.CLEARFRAME_RECORD_GOLDEN === '1';

interface GoldenCase {
  /** Input file name (made by writeInputs). */
  input: string;
  args: string[];
  env?: Record<string, string>;
}

/** Every shipped model, float and int8 where it has both, each output format, Auto and given levels, tiling, max quality. */
const CASES: Record<string, GoldenCase> = {
  'grey-int8-auto': { input: 'grey.png', args: ['--model', 'clearframe-grey'] },
  'grey-float-max': {
    input: 'grey.png',
    args: ['--model', 'clearframe-grey', '--quality', 'max', '--noise-level', '15'],
    env: { CLEARFRAME_PRECISION: 'float32' },
  },
  'seed-s25': { input: 'grey.png', args: ['--model', 'dcae-seed-s25', '--strength', '0.6'] },
  'colour-int8-level20': {
    input: 'colour.jpg',
    args: ['--model', 'clearframe-colour', '--noise-level', '20', '--strength', '0.8'],
  },
  'colour-float-webp': {
    input: 'colour.jpg',
    args: ['--model', 'clearframe-colour', '--format', 'webp'],
    env: { CLEARFRAME_PRECISION: 'float32' },
  },
  'photo-int8-auto': { input: 'colour.jpg', args: ['--model', 'clearframe-photo'] },
  'photo-float-png': {
    input: 'colour.jpg',
    args: ['--model', 'clearframe-photo', '--format', 'png'],
    env: { CLEARFRAME_PRECISION: 'float32' },
  },
  'photo-int8-tiff16': {
    input: 'colour16.png',
    args: ['--model', 'clearframe-photo', '--noise-level', '6', '--format', 'tiff'],
  },
  'photo-int8-tiles': { input: 'large.png', args: ['--model', 'clearframe-photo', '--tile', '64'] },
  'default-model': { input: 'colour.jpg', args: ['--jpeg-quality', '85'] },
};

interface Fingerprint {
  platform: string;
  /** Threads split the work differently with another core count. */
  cores: number;
  cpuFeatures: string;
  onnxruntime: string;
  vips: string;
}

interface Golden {
  recordedOn: Fingerprint;
  outputs: Record<string, { file: string; sha256: string; pixels: string }>;
}

/** The instruction-set features that change ONNX Runtime's CPU kernels. */
function cpuFeatures(): string {
  if (process.platform !== 'linux') return 'unknown';
  const flags = new Set(/^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim().split(/\s+/) ?? []);
  return (
    ['avx2', 'fma', 'avx512f', 'avx512bw', 'avx512_vnni', 'avx_vnni', 'amx_int8']
      .filter((f) => flags.has(f))
      .join(' ') || 'none'
  );
}

function fingerprint(): Fingerprint {
  const ortPackage = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
  return {
    platform: `${process.platform}-${process.arch}`,
    cores: availableParallelism(),
    cpuFeatures: cpuFeatures(),
    onnxruntime: (JSON.parse(readFileSync(ortPackage, 'utf8')) as { version: string }).version,
    vips: sharp.versions.vips,
  };
}

/** A seeded generator (mulberry32) and a standard normal from it, so inputs do not depend on engine code. */
function normals(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** A scene of gradients, stripes and discs with noise of `sigma` (0..255) added, 8-bit. */
function scene(width: number, height: number, channels: 1 | 3, sigma: number, seed: number): Buffer {
  const noise = normals(seed);
  const out = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const disc = (x - width * 0.6) ** 2 + (y - height * 0.45) ** 2 < (height * 0.25) ** 2 ? 60 : 0;
      const stripes = x < width / 3 ? 40 * Math.sign(Math.sin(x / 3)) : 0;
      for (let c = 0; c < channels; c++) {
        const base =
          40 +
          (150 * x) / width +
          (40 * y) / height +
          disc * (c === 1 ? -1 : 1) +
          stripes +
          20 * Math.sin((x + 2 * y) / (9 + 4 * c));
        const v = Math.min(255, Math.max(0, base + sigma * noise()));
        out[(y * width + x) * channels + c] = Math.round(v);
      }
    }
  }
  return out;
}

/** A 16-bit RGB PNG of 8-bit `rgb` scaled by 257, written by hand (sharp makes 16-bit PNGs only from 16-bit sources). */
function png16(width: number, height: number, rgb: Buffer): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([16, 2, 0, 0, 0], 8); // 16 bits, RGB, deflate, no filter method, no interlace
  const rows = Buffer.alloc(height * (1 + width * 6));
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < width * 3; i++)
      rows.writeUInt16BE(rgb[y * width * 3 + i]! * 257, y * (1 + width * 6) + 1 + 2 * i);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function writeInputs(dir: string): Promise<void> {
  const raw = (width: number, height: number, channels: 1 | 3) => ({ raw: { width, height, channels } });
  await sharp(scene(96, 80, 1, 20, 1), raw(96, 80, 1))
    .toColourspace('b-w')
    .png()
    .toFile(join(dir, 'grey.png'));
  await sharp(scene(128, 96, 3, 12, 2), raw(128, 96, 3))
    .jpeg({ quality: 90 })
    .toFile(join(dir, 'colour.jpg'));
  await writeFile(join(dir, 'colour16.png'), png16(80, 64, scene(80, 64, 3, 10, 3)));
  await sharp(scene(200, 136, 3, 8, 4), raw(200, 136, 3))
    .png()
    .toFile(join(dir, 'large.png'));
}

const tsxImport = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** `clearframe denoise` from the TypeScript source (never a possibly stale dist/). */
async function denoise(root: string, input: string, outDir: string, c: GoldenCase): Promise<string> {
  const args = [
    '--import',
    tsxImport,
    join(repoRoot, 'src-main', 'cli.ts'),
    'denoise',
    input,
    '--out',
    outDir,
    ...c.args,
  ];
  await promisify(execFile)(process.execPath, args, {
    env: { ...process.env, CLEARFRAME_DATA_DIR: join(root, 'data'), CLEARFRAME_PRECISION: '', ...c.env },
    cwd: root,
  });
  const files = await readdir(outDir);
  expect(files).toHaveLength(1);
  return join(outDir, files[0]!);
}

/** Decoded pixels of an output as a lossless PNG (16-bit where the output is). */
async function pixelsPng(file: string): Promise<Buffer> {
  const meta = await sharp(file).metadata();
  const sixteen = meta.depth === 'ushort';
  return sharp(file)
    .toColourspace(sixteen ? (meta.channels === 1 ? 'grey16' : 'rgb16') : meta.channels === 1 ? 'b-w' : 'srgb')
    .png({ compressionLevel: 9 })
    .toBuffer();
}

/** An image's samples on the 0..255 scale, 8- or 16-bit alike. */
async function samples(png: Buffer): Promise<{ values: Float64Array; shape: string }> {
  const meta = await sharp(png).metadata();
  const sixteen = meta.depth === 'ushort';
  // Without the 16-bit colourspace, sharp hands back 16-bit samples reduced to 0..255.
  const { data, info } = await (
    sixteen ? sharp(png).toColourspace(meta.channels === 1 ? 'grey16' : 'rgb16') : sharp(png)
  )
    .raw({ depth: sixteen ? 'ushort' : 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const codes = sixteen ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2) : data;
  return {
    values: Float64Array.from(codes, (v) => (sixteen ? (v / 65535) * 255 : v)),
    shape: `${info.width}×${info.height}×${info.channels}`,
  };
}

/** PSNR (dB, on the 0..255 scale) and mean absolute difference (8-bit steps) between two images' pixels. */
async function compare(a: Buffer, b: Buffer): Promise<{ psnr: number; meanDiff: number; sameShape: boolean }> {
  const [x, y] = await Promise.all([samples(a), samples(b)]);
  if (x.shape !== y.shape) return { psnr: 0, meanDiff: Infinity, sameShape: false };
  let sq = 0;
  let abs = 0;
  for (let i = 0; i < x.values.length; i++) {
    const d = x.values[i]! - y.values[i]!;
    sq += d * d;
    abs += Math.abs(d);
  }
  const mse = sq / x.values.length;
  return {
    psnr: mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse),
    meanDiff: abs / x.values.length,
    sameShape: true,
  };
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

let root: string;
const produced: Record<string, { file: string; bytes: Buffer }> = {};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-golden-'));
  await mkdir(join(root, 'in'));
  await writeInputs(join(root, 'in'));
  // Two at a time: each CLI run is mostly start-up (tsx, the engine process, a model), on two cores.
  const queue = Object.entries(CASES);
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [name, c] = next;
      const out = await denoise(root, join(root, 'in', c.input), join(root, 'out', name), c);
      produced[name] = { file: out, bytes: await readFile(out) };
    }
  };
  await Promise.all([worker(), worker()]);
}, 600_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('denoised outputs of every shipped model', () => {
  it('match the recorded ones (exactly on the recording machine, within rounding elsewhere)', async () => {
    if (record) {
      await mkdir(goldenDir, { recursive: true });
      const outputs: Golden['outputs'] = {};
      for (const [name, { file, bytes }] of Object.entries(produced)) {
        const pixels = `${name}.png`;
        await writeFile(join(goldenDir, pixels), await pixelsPng(file));
        outputs[name] = { file: file.slice(file.lastIndexOf('/') + 1), sha256: sha256(bytes), pixels };
      }
      await writeFile(
        goldenFile,
        `${JSON.stringify({ recordedOn: fingerprint(), outputs } satisfies Golden, null, 2)}\n`,
      );
    }
    expect(existsSync(goldenFile), `${goldenFile} is missing: record it with CLEARFRAME_RECORD_GOLDEN=1`).toBe(true);
    const golden = JSON.parse(await readFile(goldenFile, 'utf8')) as Golden;
    expect(Object.keys(golden.outputs).sort()).toEqual(Object.keys(CASES).sort());
    const exact = JSON.stringify(golden.recordedOn) === JSON.stringify(fingerprint());
    for (const [name, want] of Object.entries(golden.outputs)) {
      const got = produced[name]!;
      expect(got.file.slice(got.file.lastIndexOf('/') + 1), `${name}: output name`).toBe(want.file);
      const d = await compare(await pixelsPng(got.file), await readFile(join(goldenDir, want.pixels)));
      expect(d.sameShape, `${name}: size and channels`).toBe(true);
      expect(d.psnr, `${name}: PSNR against the recorded pixels`).toBeGreaterThanOrEqual(45);
      expect(d.meanDiff, `${name}: mean difference`).toBeLessThanOrEqual(0.5);
      if (exact) expect(sha256(got.bytes), `${name}: output bytes`).toBe(want.sha256);
    }
  });

  it('differ from their inputs (a model ran on each)', async () => {
    for (const [name, c] of Object.entries(CASES)) {
      const d = await compare(await pixelsPng(produced[name]!.file), await pixelsPng(join(root, 'in', c.input)));
      expect(d.psnr, `${name}: output equals its input`).toBeLessThan(60);
    }
  });
});
