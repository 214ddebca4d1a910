// The compare story: a noisy real photo, the live preview of the region in view, the divider and
// zoom. Pixels are read back from screenshots: left of the divider must stay the original, right
// of it must be the (smoother) denoised result, and moving the divider moves that boundary.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { expect, samples, test } from './fixtures.js';
import { ensureModel, skipWithoutEngine } from './models-support.js';
import { grab, meanDifference, roughness, type Box } from './pixels.js';

test.use({ colorScheme: 'dark' });

test('the divider separates the original from the denoised preview, at 200% zoom', async ({ page, host, tempDir }) => {
  test.setTimeout(300_000);
  await skipWithoutEngine(host);
  const model = await ensureModel(host);
  // 08.png with seeded Gaussian noise, σ = 25.
  const { data, info } = await sharp(join(samples, 'grey', '08.png'))
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let seed = 7;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const noisy = Buffer.from(
    data.map((v) =>
      Math.max(
        0,
        Math.min(
          255,
          Math.round(v + 25 * Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random())),
        ),
      ),
    ),
  );
  const folder = join(tempDir, 'noisy');
  await mkdir(folder, { recursive: true });
  await sharp(noisy, { raw: { width: info.width, height: info.height, channels: 1 } })
    .png()
    .toFile(join(folder, 'noisy-08.png'));
  await writeFile(join(folder, 'README.txt'), 'not an image');

  await page.getByTestId('open-folder-path').fill(folder);
  await page.getByTestId('open-folder-submit').click();
  await page.getByTestId('thumbnail').first().dblclick();
  await expect(page).toHaveURL(/#\/compare$/);

  await page.getByTestId('zoom-200').click();
  await expect(page.getByTestId('zoom-level')).toHaveText('200%');
  // The live preview of the visible region arrives, with the model and the time it took.
  await expect(page.getByTestId('denoised-canvas').first()).toBeAttached({ timeout: 60_000 });
  // Tile by tile until the whole view is denoised, and the readout says so.
  await expect(page.getByTestId('readout-progress')).toHaveText('In view: denoised', { timeout: 120_000 });
  await expect(page.getByTestId('pending-tile')).toHaveCount(0);
  await expect(page.getByTestId('readout-model')).toContainText('Model:');
  await expect(page.getByTestId('readout-time')).toContainText(/\d+ (ms|s)/);
  // Real pixels at ≥ 100%.
  expect(
    await page
      .getByTestId('compare-after')
      .locator('img')
      .evaluate((img) => getComputedStyle(img).imageRendering),
  ).toBe('pixelated');

  const image = (await page.getByTestId('compare-after').locator('img').boundingBox())!;
  const stage = (await page.getByTestId('compare-stage').boundingBox())!;
  const top = Math.max(image.y, stage.y) + 8;
  const height = Math.min(image.y + image.height, stage.y + stage.height) - top - 8;
  const dividerX = stage.x + stage.width / 2;
  const left: Box = {
    x: Math.max(image.x, stage.x) + 8,
    y: top,
    width: dividerX - 24 - Math.max(image.x, stage.x) - 8,
    height,
  };
  const right: Box = {
    x: dividerX + 24,
    y: top,
    width: Math.min(image.x + image.width, stage.x + stage.width) - 8 - dividerX - 24,
    height,
  };
  expect(left.width).toBeGreaterThan(64);
  expect(right.width).toBeGreaterThan(64);

  const strength = page.getByTestId('compare-strength');
  const leftDenoised = await grab(page, left);
  const rightDenoised = await grab(page, right);
  await strength.fill('0'); // the blend is client-side: no new request, the original comes back at once
  await expect(strength).toHaveValue('0');
  const leftOriginal = await grab(page, left);
  const rightOriginal = await grab(page, right);

  // Left of the divider: the original whatever the strength.
  expect(meanDifference(leftDenoised, leftOriginal)).toBeLessThan(0.5);
  // Right of it: the denoised pixels differ from the original and are smoother (much smoother
  // with a shipped model; the few-step test model only has to lower the noise).
  expect(meanDifference(rightDenoised, rightOriginal)).toBeGreaterThan(1);
  expect(roughness(rightDenoised)).toBeLessThan((model === 'shipped' ? 0.75 : 0.97) * roughness(rightOriginal));

  // Move the divider all the way left with the keyboard: the left region now shows denoised pixels.
  await strength.fill('1');
  const divider = page.getByTestId('compare-divider');
  await divider.focus();
  await divider.press('Home');
  await expect(divider).toHaveAttribute('aria-valuenow', '0');
  await expect(page.getByTestId('readout-progress')).toHaveText('In view: denoised', { timeout: 120_000 });
  const leftAfterMove = await grab(page, left);
  expect(meanDifference(leftAfterMove, leftOriginal)).toBeGreaterThan(1);
  expect(roughness(leftAfterMove)).toBeLessThan((model === 'shipped' ? 0.75 : 0.97) * roughness(leftOriginal));

  // Drag it with the mouse to a quarter of the way.
  const handle = (await divider.boundingBox())!;
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(stage.x + stage.width / 4, handle.y + handle.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(divider).toHaveAttribute('aria-valuenow', /^2[4-6]$/);
  await page.screenshot({ path: 'test-results/screenshots/compare.png' });

  // Hold for the original: the divider disappears and the denoised layer is gone.
  const hold = page.getByTestId('hold-original');
  await hold.hover();
  await page.mouse.down();
  await expect(page.getByTestId('compare-divider')).toHaveCount(0);
  await expect(page.getByTestId('denoised-canvas')).toHaveCount(0);
  await page.mouse.up();
  await expect(page.getByTestId('compare-divider')).toBeVisible();

  // Side by side keeps one transform for both panes; fit brings the whole photo back.
  await page.getByTestId('mode-side').click();
  const [before, after] = [
    await page.getByTestId('compare-before').locator('img').boundingBox(),
    await page.getByTestId('compare-after').locator('img').boundingBox(),
  ];
  expect(before!.width).toBeCloseTo(after!.width, 3);
  expect(before!.y).toBeCloseTo(after!.y, 3);
  await page.screenshot({ path: 'test-results/screenshots/compare-side.png' });
  await page.getByTestId('zoom-fit').click();
  // The whole photo in view: no navigator over it (issue 22).
  await expect(page.getByTestId('navigator')).toHaveCount(0);
});

test('the noise level: Auto shows what it measured, and a higher manual level smooths more', async ({
  page,
  host,
  tempDir,
}) => {
  test.setTimeout(300_000);
  await skipWithoutEngine(host);
  // A high-ISO camera photo (simulated pipeline, test/helpers/samples.ts): its noise is the camera's, not white.
  const folder = join(tempDir, 'real');
  await mkdir(folder, { recursive: true });
  await sharp(join(samples, 'camera', 'noisy', 'camera-00.jpg')).toFile(join(folder, 'circuit.jpg'));

  await page.getByTestId('open-folder-path').fill(folder);
  await page.getByTestId('open-folder-submit').click();
  await page.getByTestId('thumbnail').first().dblclick();
  await page.getByTestId('zoom-200').click();
  await expect(page.getByTestId('denoised-canvas').first()).toBeAttached({ timeout: 60_000 });
  await expect(page.getByTestId('compare-noise-level-value')).toHaveText(/^auto · \d+\.\d$/, { timeout: 60_000 });

  const divider = page.getByTestId('compare-divider');
  await divider.focus();
  await divider.press('Home'); // all of the view shows the denoised side
  await expect(page.getByTestId('readout-progress')).toHaveText('In view: denoised', { timeout: 120_000 });
  const stage = (await page.getByTestId('compare-stage').boundingBox())!;
  const box: Box = {
    x: stage.x + stage.width / 4,
    y: stage.y + stage.height / 4,
    width: stage.width / 2,
    height: stage.height / 2,
  };

  const level = async (value: number) => {
    const before = await grab(page, box);
    await page.getByTestId('compare-noise-level-slider').fill(String(value));
    await expect(page.getByTestId('compare-noise-level-value')).toHaveText(String(value));
    // The engine runs again at the new level; wait until the pixels change.
    await expect
      .poll(async () => meanDifference(before, await grab(page, box)), { timeout: 120_000 })
      .toBeGreaterThan(0.2);
    await expect(page.getByTestId('readout-progress')).toHaveText('In view: denoised', { timeout: 120_000 });
    await expect(page.getByTestId('readout-time')).toContainText(/\d+ (ms|s)/);
    return grab(page, box);
  };
  await page.getByTestId('compare-noise-level-auto').uncheck();
  await expect(page.getByTestId('compare-noise-level-slider')).toBeEnabled();
  const low = await level(1);
  const high = await level(30);
  expect(roughness(high)).toBeLessThan(0.9 * roughness(low));
  await page.screenshot({ path: 'test-results/screenshots/compare-noise-level.png' });
});

test('a default model changed in Settings is the one Compare shows on coming back, not tiles of the old one', async ({
  page,
  host,
  tempDir,
}) => {
  test.setTimeout(300_000);
  await skipWithoutEngine(host);
  const folder = join(tempDir, 'defaults');
  await mkdir(folder, { recursive: true });
  await sharp(join(samples, 'camera', 'noisy', 'camera-00.jpg')).toFile(join(folder, 'circuit.jpg'));

  await page.getByTestId('open-folder-path').fill(folder);
  await page.getByTestId('open-folder-submit').click();
  await page.getByTestId('thumbnail').first().dblclick();
  const divider = page.getByTestId('compare-divider');
  await divider.focus();
  await divider.press('Home');
  await expect(page.getByTestId('readout-progress')).toHaveText('In view: denoised', { timeout: 120_000 });
  await expect(page.getByTestId('readout-model')).toHaveText('Model: Clearframe-photo');

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByTestId('settings-model-colour').selectOption('clearframe-colour');
  await expect(page.getByTestId('settings-model-colour')).toHaveValue('clearframe-colour');
  await page.getByRole('link', { name: 'Compare' }).click();
  // The view is denoised again by the new default, tile by tile.
  await expect(page.getByTestId('readout-model')).toHaveText('Model: Clearframe-colour', { timeout: 120_000 });
  await expect(page.getByTestId('readout-progress')).toHaveText('In view: denoised', { timeout: 120_000 });
});
