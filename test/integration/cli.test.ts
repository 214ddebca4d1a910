// The CLI as users run it: `node bin/clearframe.js …` (tsx from source when dist/ is absent), with a
// user model in a temp data dir and photos made from the shared test images.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/images.js';
import { greyPhoto, writeGreyPhotos } from '../helpers/samples.js';
import { testCard, writeRandomModelFolder } from '../helpers/model-fixtures.js';
import { CAMERA_NOISE_RECIPE } from '../../src-shared/schemas/train.js';

let root: string;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(repoRoot, 'bin/clearframe.js'), ...args],
      {
        env: { ...process.env, CLEARFRAME_DATA_DIR: join(root, 'data') },
        cwd: root,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const jsonLines = (text: string): Array<Record<string, unknown>> =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-cli-'));
  await writeRandomModelFolder(join(root, 'data', 'models', 'cli-grey'), testCard({ id: 'cli-grey' }));
  await mkdir(join(root, 'photos'));
  await (
    await greyPhoto('08')
  )
    .extract({ left: 0, top: 0, width: 128, height: 128 })
    .toColourspace('b-w')
    .jpeg()
    .toFile(join(root, 'photos', 'a.jpg'));
  await (
    await greyPhoto('09')
  )
    .extract({ left: 0, top: 0, width: 96, height: 64 })
    .toColourspace('b-w')
    .png()
    .toFile(join(root, 'photos', 'b.png'));
  await writeGreyPhotos(join(root, 'clean'), ['01', '02', '03']);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('clearframe CLI', () => {
  it('denoises a folder (exit 0) into --out, reporting runtime and files as JSON lines', async () => {
    const { code, stdout } = await cli(
      'denoise',
      join(root, 'photos'),
      '--out',
      join(root, 'out'),
      '--strength',
      '0.7',
      '--json',
    );
    expect(code).toBe(0);
    const events = jsonLines(stdout);
    const done = events.filter((e) => e.event === 'job:file-done');
    expect(done.map((e) => [e.outputPath, e.runtime])).toEqual([
      // The shipped default models run in int8 on the CPU when their card's quality guard passed.
      [join(root, 'out', 'a.jpg'), expect.stringMatching(/^onnxruntime:cpu(:int8)?$/)],
      [join(root, 'out', 'b.png'), expect.stringMatching(/^onnxruntime:cpu(:int8)?$/)],
    ]);
    expect(events.at(-1)).toEqual(expect.objectContaining({ event: 'job:done', succeeded: 2, failed: 0 }));
    expect((await readdir(join(root, 'out'))).sort()).toEqual(['a.jpg', 'b.png']);
  });

  it('exits 1 when some files fail, listing them; 2 on bad usage', async () => {
    await writeFile(join(root, 'broken.jpg'), (await readFile(join(root, 'photos', 'a.jpg'))).subarray(0, 500));
    const some = await cli('denoise', join(root, 'photos', 'b.png'), join(root, 'broken.jpg'));
    expect(some.code).toBe(1);
    expect(some.stdout).toContain('1 denoised, 1 failed');
    expect(some.stdout).toContain('broken.jpg: not a valid JPEG (truncated at byte 500)');
    expect((await cli('denoise', join(root, 'photos'), '--strength', '3')).code).toBe(2);
    expect((await cli('denoise', join(root, 'nope.jpg'))).code).toBe(2);
    expect((await cli('denoise', join(root, 'photos'), '--model', 'no-such-model')).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
  });

  it('lists models with the default and the runtime', async () => {
    const { code, stdout } = await cli('models', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      defaults: Record<string, string>;
      runtime: string;
      models: Array<{ card: { id: string } }>;
    };
    expect(report.models.map((m) => m.card.id)).toContain('cli-grey');
    expect(report.runtime).toMatch(/^onnxruntime:cpu(:int8)?$/);
  });

  it('tries the GPU providers only when asked (--providers), so a plain listing prints no native warnings', async () => {
    const plain = await cli('models');
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toMatch(/^provider /m);
    expect(plain.stderr).not.toMatch(/Vulkan|dawn|XDG_RUNTIME_DIR/i);
    const asked = await cli('models', '--providers', '--json');
    expect(asked.code).toBe(0);
    const report = JSON.parse(asked.stdout) as { providers: Array<{ id: string; available: boolean }> };
    expect(report.providers.find((p) => p.id === 'onnxruntime:cpu')?.available).toBe(true);
  });

  it('evaluates with seeded float noise: the noisy baseline matches σ 25 analytically', async () => {
    const { code, stdout } = await cli(
      'eval',
      '--model',
      'cli-grey',
      '--clean',
      join(root, 'clean'),
      '--sigma',
      '25',
      '--limit',
      '2',
      '--seed',
      '7',
      '--json',
    );
    expect(code).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines.filter((l) => l.event === 'image')).toHaveLength(2);
    const summary = lines.at(-1)!;
    // Unclipped Gaussian noise of σ 25 has MSE 25²: PSNR = 20·log10(255/25) ≈ 20.17 dB.
    expect(summary.noisyPsnr as number).toBeCloseTo(20 * Math.log10(255 / 25), 1);
    expect(Number.isFinite(summary.psnr as number)).toBe(true);
    const again = jsonLines(
      (
        await cli(
          'eval',
          '--model',
          'cli-grey',
          '--clean',
          join(root, 'clean'),
          '--limit',
          '1',
          '--seed',
          '7',
          '--json',
        )
      ).stdout,
    );
    expect(again[0]!.psnr).toBe(lines[0]!.psnr); // same seed, same image → same numbers
  });

  it('trains with a preset of the Train view (flags override its fields), and refuses a preset it does not know with exit 2', async () => {
    const out = join(root, 'quick-run');
    const run = await cli(
      'train',
      '--preset',
      'quick',
      '--data',
      join(root, 'clean'),
      '--out',
      out,
      '--batch',
      '4',
      '--epochs',
      '1',
      '--steps-per-epoch',
      '2',
      '--val-images',
      '1',
      '--val-crop',
      '32',
      '--workers',
      '1',
      '--json',
    );
    expect(run.code, run.stderr).toBe(0);
    const card = JSON.parse(await readFile(join(out, 'card.json'), 'utf8')) as {
      architecture: string;
      channels: number;
      patchSize: number;
      steps: number;
      details: string;
      trainingNoise: unknown;
    };
    // Quick's network, patch and rate; the default recipe's colour and camera noise; the flags' batch and length.
    expect(card).toMatchObject({
      architecture: 'dcae-res-nl',
      channels: 3,
      patchSize: 48,
      steps: 2,
      trainingNoise: CAMERA_NOISE_RECIPE,
    });
    expect(card.details).toContain('batch 4, learning rate 0.002');
    const bad = await cli('train', '--preset', 'fast', '--data', join(root, 'clean'), '--out', join(root, 'fast-run'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Unknown --preset fast (known: quick, good, best, camera)');
  }, 300_000);
});
