// Compare's Auto level follows the model: a camera model with a floor of its own (ModelCard.autoFloor)
// is told at least that floor on a quiet photo, and switching models on the same photo does not
// reuse the other model's level (the renderer measures the photo once per kind of Auto).
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTO_LEVEL_FLOOR } from '../../src-main/engine/infer/noise-estimate.js';
import { ModelCache } from '../../src-main/engine/jobs/model-cache.js';
import { PreviewRenderer } from '../../src-main/engine/jobs/preview.js';
import { ModelRegistry } from '../../src-main/engine/models/registry.js';
import { writeGeneratedPhoto } from '../helpers/generated-photo.js';
import { repoRoot } from '../helpers/images.js';

let dir: string;
let photo: string;
let models: ModelCache;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'clearframe-preview-floor-'));
  const camera = path.join(dir, 'user', 'camera-model');
  await mkdir(path.dirname(camera), { recursive: true });
  await cp(path.join(repoRoot, 'assets/models/clearframe-photo'), camera, { recursive: true });
  const card = JSON.parse(await readFile(path.join(camera, 'card.json'), 'utf8'));
  await writeFile(
    path.join(camera, 'card.json'),
    JSON.stringify({ ...card, id: 'camera-model', name: 'Clearframe-photo · Test camera', autoFloor: 9 }),
  );
  models = new ModelCache(
    new ModelRegistry({ shippedDir: path.join(repoRoot, 'assets/models'), userDir: path.join(dir, 'user') }),
  );
  photo = await writeGeneratedPhoto(path.join(dir, 'quiet.jpg'), { width: 512, height: 384, sigma: 1 });
});
afterAll(async () => {
  await models.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('Compare on Auto', () => {
  it('tells each model its own Auto level for the same photo, a camera model at least its floor', async () => {
    const renderer = new PreviewRenderer(models);
    const view = { path: photo, region: { x: 0, y: 0, width: 256, height: 256 }, maxSide: 512 };
    const render = (modelId: string) => renderer.render(view, { modelId, strength: 1, noiseLevel: 'auto' });
    expect((await render('clearframe-photo')).noiseLevel).toBe(AUTO_LEVEL_FLOOR);
    expect((await render('camera-model')).noiseLevel).toBe(9);
    expect((await render('clearframe-photo')).noiseLevel).toBe(AUTO_LEVEL_FLOOR);
  }, 120_000);
});
