// `clearframe profile FOLDER --json` through the CLI's command table (the shipped photo model as the
// reference; an empty data dir, so no user model is found) on generated JPEGs: smooth scenes with white noise of known σ, carrying EXIF
// camera and ISO (one photo without EXIF). The photos must be grouped by camera and ISO, the JPEG
// settings read from the files, and the noisier camera measured as noisier; --recipe writes a recipe
// `clearframe train --noise camera-profile --profile FILE` takes.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src-main/cli.js';
import { smoothScenes } from '../../src-main/engine/noise-profile/fit-recipe.js';
import type { NoiseProfile } from '../../src-main/engine/noise-profile/profile-folder.js';
import { SeededRandom } from '../../src-main/engine/util/rng.js';
import { CameraProfileNoise } from '../../src-shared/schemas/train.js';

let root: string;

/** `clearframe profile …` in this process, as the CLI's table runs it; stdout and stderr as text. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await main(args);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}

/** A 256² smooth scene with white noise of σ (0–255) as a JPEG of `quality`, with EXIF when given. */
async function photo(
  file: string,
  seed: number,
  sigma: number,
  quality: number,
  exif?: { model: string; iso: number },
): Promise<void> {
  const scene = smoothScenes(1, 256, seed)[0]!;
  const rng = new SeededRandom(seed);
  const bytes = Uint8Array.from(scene.data, (v) =>
    Math.round(Math.min(1, Math.max(0, v + (sigma / 255) * rng.normal())) * 255),
  );
  let image = sharp(bytes, { raw: { width: 256, height: 256, channels: 3 } }).jpeg({
    quality,
    chromaSubsampling: '4:4:4',
  });
  if (exif)
    image = image.withExif({ IFD0: { Make: 'Canon', Model: exif.model }, IFD2: { ISOSpeedRatings: String(exif.iso) } });
  await image.toFile(join(root, 'photos', file));
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-profile-'));
  process.env['CLEARFRAME_DATA_DIR'] = join(root, 'data');
  await import('node:fs/promises').then((fs) => fs.mkdir(join(root, 'photos')));
  await photo('a.jpg', 1, 8, 95, { model: 'Canon EOS 80D', iso: 6400 });
  await photo('b.jpg', 2, 8, 95, { model: 'Canon EOS 80D', iso: 6400 });
  await photo('c.jpg', 3, 4, 95, { model: 'Canon EOS 80D', iso: 1600 });
  await photo('d.jpg', 4, 2, 90, { model: 'Canon EOS R5', iso: 400 });
  await photo('e.jpg', 5, 4, 90);
}, 60_000);

afterAll(async () => {
  delete process.env['CLEARFRAME_DATA_DIR'];
  await rm(root, { recursive: true, force: true });
});

describe('clearframe profile', () => {
  it('groups the photos by EXIF camera and ISO, reads the JPEG settings and measures the noisier camera as noisier', async () => {
    const { code, stdout, stderr } = await cli('profile', join(root, 'photos'), '--json');
    expect(stderr).not.toMatch(/skipped/);
    expect(code).toBe(0);
    const profile = JSON.parse(stdout) as NoiseProfile;
    expect(profile.reference).toBe('clearframe-photo');
    const byName = Object.fromEntries(profile.cameras.map((c) => [c.camera, c]));
    expect(Object.keys(byName).sort()).toEqual(['Canon EOS 80D', 'Canon EOS R5', 'Unknown camera']);
    const canon = byName['Canon EOS 80D']!;
    expect(canon.photos).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
    expect(canon.isos).toEqual([1600, 6400]);
    expect(canon.byIso.map((b) => [b.iso, b.photos])).toEqual([
      [1600, 1],
      [6400, 2],
    ]);
    expect([canon.jpegQuality, canon.chroma420, byName['Canon EOS R5']!.jpegQuality]).toEqual([95, false, 90]);
    // σ 8 and 4 against σ 2: the residual against the model reads the stronger noise as stronger.
    const [iso1600, iso6400] = canon.byIso.map((b) => b.stats.overallRms);
    expect(iso6400!).toBeGreaterThan(1.5 * iso1600!);
    expect(iso1600!).toBeGreaterThan(1.3 * byName['Canon EOS R5']!.stats.overallRms);
    expect(canon.stats.curve.length).toBeGreaterThan(0);
  }, 240_000);

  it('--recipe writes the fitted camera-profile noise of the camera with the most photos', async () => {
    const file = join(root, 'recipe.json');
    const { code, stdout } = await cli('profile', join(root, 'photos'), '--recipe', file);
    expect(code).toBe(0);
    expect(stdout).toMatch(/fitted: shot/);
    const written = JSON.parse(await readFile(file, 'utf8')) as {
      noise: unknown;
      camera: string;
      distance: { total: number };
    };
    const noise = CameraProfileNoise.parse(written.noise);
    expect([written.camera, noise.camera, noise.jpegQuality, noise.chroma420]).toEqual([
      'Canon EOS 80D',
      'Canon EOS 80D',
      95,
      false,
    ]);
    expect(noise.spread).toBeCloseTo(2, 5); // ISO 1600 to 6400: √4
    expect(written.distance.total).toBeGreaterThan(0);
  }, 600_000);
});
