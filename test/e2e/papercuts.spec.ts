// Small things a newcomer met in the screenshots (issue 22 §4), each checked where a person sees it,
// at 1280 × 800, on generated photos: counts in the right number, a pasted photo's path opens its
// folder with it selected, the batch form's button above the fold, About with the facts someone
// reporting a problem is asked for, the training form's noise choice shown whole, the training
// charts' legend, and Compare's save status neither shrinking the view nor outliving the model.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { expect, test } from './fixtures.js';
import { startTinyRun } from './train-form.js';
import { writeGeneratedPhoto } from '../helpers/generated-photo.js';
import { ensureModel, skipWithoutEngine, TEST_MODEL_ID } from './models-support.js';

test.use({ colorScheme: 'dark' });

async function photoFolder(folder: string, count: number): Promise<string> {
  await mkdir(folder, { recursive: true });
  for (let i = 0; i < count; i++) {
    await sharp({
      create: { width: 96, height: 64, channels: 3, background: { r: 40 * i, g: 120, b: 200 - 30 * i } },
    }).toFile(join(folder, `photo-${i + 1}.png`));
  }
  return folder;
}

test('the library counts one photo as "1 photo", and a pasted photo path opens its folder with it selected', async ({
  page,
  tempDir,
}) => {
  const folder = await photoFolder(join(tempDir, 'one'), 1);
  await page.getByTestId('open-folder-path').fill(join(folder, 'photo-1.png'));
  await page.getByTestId('open-folder-submit').click();
  await expect(page.getByTestId('thumbnail')).toHaveCount(1, { timeout: 60_000 });
  await expect(page.getByTestId('library-count')).toHaveText('1 photo · 1 selected');
  await expect(page.getByTestId('thumbnail').first()).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('open-folder-path')).toHaveValue(folder);
  await page.screenshot({ path: 'test-results/screenshots/library-one-photo.png' });
});

test('the batch form’s button is above the fold at 1280 × 800', async ({ page, tempDir }) => {
  // A real folder's path is long: the example output path under it wraps over several lines.
  const folder = await photoFolder(join(tempDir, 'Pictures from the family holidays', 'Summer 2024 at the seaside'), 3);
  await page.getByTestId('open-folder-path').fill(folder);
  await page.getByTestId('open-folder-submit').click();
  await expect(page.getByTestId('thumbnail')).toHaveCount(3, { timeout: 60_000 });
  await page.getByRole('link', { name: 'Queue' }).click();
  const start = page.getByTestId('batch-start');
  await expect(start).toHaveText('Denoise 3 photos');
  const box = (await start.boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(800);
  await page.screenshot({ path: 'test-results/screenshots/queue-form.png' });
});

test('About says the version, the engine, the data and models folders, and the licences', async ({ page, host }) => {
  await page.getByRole('link', { name: 'Settings' }).click();
  const about = page.getByTestId('settings-about');
  await expect(about).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('about-version')).toContainText(/Clearframe \d+\.\d+\.\d+/);
  await expect(page.getByTestId('about-engine')).toContainText(/onnxruntime|tfjs|not started/);
  await expect(page.getByTestId('about-data-folder')).toContainText(host.dataDir);
  await expect(page.getByTestId('about-models-folder')).toContainText(join(host.dataDir, 'models'));
  const licences = page.getByTestId('about-licences');
  await expect(licences).toContainText('Clearframe is MIT-licensed');
  await licences.locator('summary').click();
  await expect(licences).toContainText(/onnxruntime-node [\d.]+ — MIT/);
  await expect(licences).toContainText(/sharp [\d.]+ — Apache-2\.0/);
  await about.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/settings-about.png' });
});

test('the training form shows the noise choice whole', async ({ page }) => {
  await page.getByRole('link', { name: 'Train' }).click();
  const noise = page.getByTestId('train-noise');
  await expect(noise).toHaveValue('camera');
  // The chosen option's text fits in the closed select, beside its arrow.
  const fits = await noise.evaluate((select: HTMLSelectElement) => {
    const context = document.createElement('canvas').getContext('2d')!;
    const style = getComputedStyle(select);
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = context.measureText(select.selectedOptions[0]!.text).width;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16;
    return { text, room };
  });
  expect(fits.text).toBeLessThanOrEqual(fits.room);
  await page.screenshot({ path: 'test-results/screenshots/train-form-1280.png' });
});

test('the training charts name their axes, and the legend shows the latest values, never "--"', async ({
  page,
  tempDir,
}) => {
  test.setTimeout(300_000);
  const data = join(tempDir, 'clean');
  await mkdir(data, { recursive: true });
  for (let i = 0; i < 4; i++)
    await writeGeneratedPhoto(join(data, `scene-${i}.png`), { width: 160, height: 128, sigma: 0, seed: i + 1 });
  await page.getByRole('link', { name: 'Train' }).click();
  await startTinyRun(page, { data, epochs: 2, name: 'Papercut charts' });
  await expect(page.getByTestId('train-phase')).toHaveAttribute('data-phase', 'done', { timeout: 240_000 });
  const validation = page.getByTestId('chart-val');
  await expect(validation).toHaveAttribute('data-points', /^[1-9]/);
  // The axes' names (PSNR on the left, SSIM on the right) are drawn on the chart's canvas: see the screenshot.
  // With the pointer elsewhere, each series' latest value: numbers, not "--".
  const values = await validation.locator('.u-legend .u-value').allTextContents();
  expect(values.length).toBeGreaterThan(0);
  for (const value of values) expect(value).toMatch(/^\d+(\.\d+)?$/);
  await page.getByTestId('chart-loss').evaluate((chart) => chart.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: 'test-results/screenshots/train-charts.png' });
});

test('Compare: saving keeps the view’s zoom, and "Saved to …" goes when the model changes', async ({
  page,
  host,
  tempDir,
}) => {
  test.setTimeout(240_000);
  await skipWithoutEngine(host);
  const model = await ensureModel(host);
  const folder = join(tempDir, 'save');
  await mkdir(folder, { recursive: true });
  await writeGeneratedPhoto(join(folder, 'scene.jpg'), { width: 1600, height: 1200, sigma: 15 });
  await page.getByTestId('open-folder-path').fill(folder);
  await page.getByTestId('open-folder-submit').click();
  await page.getByTestId('thumbnail').first().dblclick({ timeout: 60_000 });
  await expect(page.getByTestId('compare-readout')).toContainText('1600 × 1200', { timeout: 60_000 });
  const zoom = page.getByTestId('zoom-level');
  const fitted = await zoom.textContent();
  await page.getByTestId('denoise-full').click();
  await expect(page.getByTestId('save-result')).toContainText('Saved to', { timeout: 180_000 });
  // The status floats over the stage: the view keeps its size, so Fit keeps its zoom.
  await expect(zoom).toHaveText(fitted!);
  await page.screenshot({ path: 'test-results/screenshots/compare-saved-status.png' });
  // Another model: what was saved is not what the view shows any more.
  await page.getByTestId('compare-model').selectOption(model === 'shipped' ? 'clearframe-colour' : TEST_MODEL_ID);
  await expect(page.getByTestId('save-status')).toHaveCount(0);
});
