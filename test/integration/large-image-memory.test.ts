// A 100-megapixel photo must denoise in bounded memory (< ~2 GB RSS): pixels stay in their native
// 8-bit depth and only one tile at a time is float. The network here is one 3×3 convolution
// exported to ONNX (the memory behaviour is the pipeline's, not the network's; a full DCAE would
// take minutes on two cores).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initBackend } from '../../src-main/engine/infer/tfjs-backend.js';
import { saveModelFolder } from '../../src-main/engine/models/model-folder.js';
import { repoRoot } from '../helpers/images.js';
import { testCard } from '../helpers/model-fixtures.js';

let root: string;
const SIDE = 10_000;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cf-large-'));
  await initBackend('cpu');
  const net = tfl.sequential({
    layers: [tfl.layers.conv2d({ inputShape: [null, null, 3], filters: 3, kernelSize: 3, padding: 'same' })],
  });
  await saveModelFolder(
    net,
    testCard({ id: 'one-conv', channels: 3, sizeMultiple: 1 }),
    join(root, 'models', 'one-conv'),
  );
  net.dispose();
  await sharp({
    create: {
      width: SIDE,
      height: SIDE,
      channels: 3,
      background: { r: 120, g: 100, b: 80 },
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 80 })
    .toFile(join(root, 'huge.jpg'));
  await mkdir(join(root, 'out'));
}, 300_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

it('denoises a 100-MP JPEG under 2 GB RSS', async () => {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      tsx,
      join(repoRoot, 'test/helpers/denoise-large-child.ts'),
      join(root, 'huge.jpg'),
      join(root, 'models'),
      join(root, 'out'),
    ],
    { maxBuffer: 1 << 20 },
  );
  const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    outputPath: string;
    tiles: number;
    seconds: number;
    maxRssMb: number;
  };
  await writeFile(join(root, 'report.json'), stdout);
  console.log(
    `100 MP: ${report.seconds.toFixed(1)} s, ${report.tiles} tiles, peak RSS ${report.maxRssMb.toFixed(0)} MB`,
  );
  expect(report.tiles).toBeGreaterThan(400);
  const meta = await sharp(report.outputPath).metadata();
  expect([meta.width, meta.height]).toEqual([SIDE, SIDE]);
  expect(report.maxRssMb).toBeLessThan(2048);
}, 600_000);
