// The queue on a real folder, as a person re-running a batch meets it: the output pattern checked as
// it is typed with the path one photo's copy will get; progress weighted by pixels (a big photo after
// small ones is most of the bar); a second run skipping the photos already denoised instead of
// writing "name (2)" copies; every output folder under "Saved in"; the failed photo requeued.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Page } from '@playwright/test';
import { copyImages, expect, samples, test } from './fixtures.js';
import { ensureModel, skipWithoutEngine } from './models-support.js';

test.use({ colorScheme: 'dark' });

async function openFolder(page: Page, folder: string): Promise<void> {
  await page.getByTestId('open-folder-path').fill(folder);
  await page.getByTestId('open-folder-submit').click();
  await expect(page.getByTestId('thumbnail').first()).toBeVisible();
}

test('re-running a batch skips what is denoised; progress is by pixels; the pattern is checked as typed', async ({
  page,
  host,
  tempDir,
}) => {
  test.setTimeout(300_000);
  await skipWithoutEngine(host);
  await ensureModel(host);
  // Three real 0.15-MP photos, then one 6.8-MP photo (the same scene, larger: seconds of work even on
  // a quiet machine, so the test sees it running) and a photo cut short.
  const folder = await copyImages(join(samples, 'colour'), join(tempDir, 'trip'), 3);
  const [first] = (await readdir(folder)).sort();
  await sharp(join(samples, 'colour', 'colour-00.png'))
    .resize(3200, 2134)
    .png()
    .toFile(join(folder, 'z-big.png'));
  const whole = await readFile(join(samples, 'grey', '04.png'));
  await writeFile(join(folder, 'truncated.png'), whole.subarray(0, Math.floor(whole.length / 3)));

  await openFolder(page, folder);
  await expect(page.getByTestId('library-count')).toHaveText('5 photos');
  await page.getByTestId('library-denoise').click();

  // The output pattern: a misspelt placeholder is refused as it is typed; a good one shows where one photo goes.
  const pattern = page.getByTestId('batch-folder');
  await pattern.fill('{nme}');
  await expect(page.locator('#batch-folder-help')).toContainText('unknown placeholder {nme}');
  await expect(page.getByTestId('batch-start')).toBeDisabled();
  await expect(page.getByTestId('batch-output-example')).toHaveCount(0);
  await pattern.fill('clean');
  await expect(page.getByTestId('batch-output-example')).toHaveText(`For example ${join(folder, 'clean', first!)}`);
  await pattern.fill('out/{name}-nr');
  await expect(page.getByTestId('batch-output-example')).toHaveText(
    `For example ${join(folder, 'out', first!.replace('.png', '-nr.png'))}`,
  );
  await pattern.fill('clean');
  await expect(page.getByTestId('batch-existing-skip')).toBeChecked();
  await page.screenshot({ path: 'test-results/screenshots/queue-form.png' });

  await page.getByTestId('batch-start').click();
  // The small photos are done (and the cut one failed) while the big one runs: by files that is 4/5 of the bar, by pixels far less.
  await expect(page.getByTestId('job-stats')).toContainText(/4 of 5 done · [\d.]+ megapixels\/s/, { timeout: 120_000 });
  // The count and the bar read together, so that the big photo cannot finish between the two reads.
  const { stats, overall } = await page.evaluate(() => ({
    stats: document.querySelector('[data-testid="job-stats"]')?.textContent ?? '',
    overall: Number(document.querySelector('[data-testid="job-overall"]')?.getAttribute('value')),
  }));
  expect(stats).toContain('4 of 5 done');
  expect(overall).toBeGreaterThan(0);
  expect(overall).toBeLessThan(0.4);
  await page.screenshot({ path: 'test-results/screenshots/queue-pixels.png' });
  await expect(page.getByTestId('job-summary')).toHaveText('4 denoised · 1 failed.', { timeout: 150_000 });
  const outputs = join(folder, 'clean');
  const written = (await readdir(outputs)).sort();
  expect(written).toHaveLength(4);
  const mtimes = await Promise.all(written.map(async (n) => (await stat(join(outputs, n))).mtimeMs));
  await expect(page.getByTestId('job-output-folders').getByTestId('copy-path-text')).toHaveText([outputs]);

  // Requeue: a new batch of just the failed photo, with the same options.
  await expect(page.getByTestId('job-requeue')).toHaveText('Requeue cancelled/failed (1)');
  await page.getByTestId('job-requeue').click();
  await expect(page.getByTestId('job-summary')).toHaveText('0 denoised · 1 failed.', { timeout: 60_000 });
  await expect(page.getByTestId('job-row')).toHaveCount(1);

  // The whole folder again: the four denoised photos are skipped (their copies untouched), no "(2)" copies.
  await page.getByTestId('batch-start').click();
  await expect(page.getByTestId('job-summary')).toHaveText('0 denoised · 4 skipped (already denoised) · 1 failed.', {
    timeout: 60_000,
  });
  await expect(page.locator('[data-testid="job-row"][data-state="skipped"]')).toHaveCount(4);
  await expect(page.getByTestId('job-output-folders').getByTestId('copy-path-text')).toHaveText([outputs]);
  expect((await readdir(outputs)).sort()).toEqual(written);
  expect(await Promise.all(written.map(async (n) => (await stat(join(outputs, n))).mtimeMs))).toEqual(mtimes);
  await page.screenshot({ path: 'test-results/screenshots/queue-rerun.png', fullPage: true });
});
