// The library story in the browser host: open a folder of real photos, see them, read the details.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { copyImages, expect, samples, test } from './fixtures.js';

test('opens a folder of real photos, shows their thumbnails and the details of the selected one', async ({
  page,
  tempDir,
}) => {
  const folder = await copyImages(join(samples, 'grey'), join(tempDir, 'set12'));
  await writeFile(join(folder, 'broken.png'), 'not really a png');
  await page.getByTestId('open-folder-path').fill(folder);
  await page.getByTestId('open-folder-submit').click();

  const thumbnails = page.getByTestId('thumbnail');
  await expect(thumbnails.first()).toBeVisible();
  await expect(page.getByTestId('library-count')).toContainText('12');
  // The grid is virtualised: count the rendered cells only when they all fit, else the count label.
  expect(await thumbnails.count()).toBeLessThanOrEqual(12);
  // Real previews: the first cell's <img> is a decoded WebP of the photo, not a placeholder.
  const preview = thumbnails.first().locator('img');
  await expect(preview).toBeVisible();
  expect(await preview.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(
    16,
  );

  await thumbnails.filter({ hasText: '05.png' }).click();
  const details = page.getByTestId('details-panel');
  await expect(details).toContainText('05.png');
  await expect(page.getByTestId('details-dimensions')).toHaveText('256 × 256 px');
  await expect(page.getByTestId('details-format')).toContainText(/png/i);
  await expect(details).toContainText('8-bit');
  await expect(details).toContainText('greyscale');
});

test('a path that is not a folder answers a clear error near the form', async ({ page, tempDir }) => {
  const missing = join(tempDir, 'no-such-folder');
  await page.getByTestId('open-folder-path').fill(missing);
  await page.getByTestId('open-folder-submit').click();
  const error = page.getByTestId('error-message');
  await expect(error).toBeVisible();
  await expect(error).toContainText(missing);
  await expect(error).toContainText(/does not exist/);
  await expect(page.getByTestId('thumbnail')).toHaveCount(0);
});
