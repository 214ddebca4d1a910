// The browse story: open a folder of real photos, sort and filter them, select several, and a
// large folder that stays virtualised.
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { copyImages, expect, samples, test } from './fixtures.js';

test.use({ colorScheme: 'dark' });

const shots = 'test-results/screenshots';

test('sorts, filters and multi-selects real photos', async ({ page, tempDir }) => {
  const folder = await copyImages(join(samples, 'grey'), join(tempDir, 'photos'), 8);
  // Two JPEGs among the PNGs, so the format filter has something to tell apart.
  for (const name of ['01', '02']) {
    await sharp(join(samples, 'grey', `${name}.png`))
      .jpeg({ quality: 90 })
      .toFile(join(folder, `${name}-copy.jpg`));
  }
  await page.getByTestId('open-folder-path').fill(folder);
  await page.getByTestId('open-folder-submit').click();
  const cells = page.getByTestId('thumbnail');
  await expect(page.getByTestId('library-count')).toHaveText('10 photos');
  await expect(cells).toHaveCount(10);
  await expect(cells.first()).toHaveAttribute('data-path', join(folder, '01-copy.jpg'));

  // Sort by name descending: 08.png first.
  await page.getByTestId('library-sort-direction').click();
  await expect(cells.first()).toHaveAttribute('data-path', join(folder, '08.png'));
  // Sort by format (ascending): JPEGs come before PNGs.
  await page.getByTestId('library-sort-direction').click();
  await page.getByTestId('library-sort').selectOption('format');
  await expect(cells.nth(0)).toHaveAttribute('data-path', /\.jpg$/);
  await expect(cells.nth(2)).toHaveAttribute('data-path', /\.png$/);

  // Filter by format, then by name.
  await page.getByTestId('library-format').selectOption('jpeg');
  await expect(cells).toHaveCount(2);
  await expect(page.getByTestId('library-count')).toHaveText('2 of 10 photos');
  await page.getByTestId('library-format').selectOption('all');
  await page.getByTestId('library-filter').fill('0');
  await expect(cells).toHaveCount(10);
  await page.getByTestId('library-filter').fill('copy');
  await expect(cells).toHaveCount(2);
  await page.getByTestId('library-filter').fill('');
  await page.getByTestId('library-sort').selectOption('name');

  // Click, shift-click a range, ctrl-click to toggle one out.
  await cells.nth(2).click(); // 01.png
  await cells.nth(5).click({ modifiers: ['Shift'] }); // … 04.png
  await expect(page.getByTestId('library-count')).toHaveText('10 photos · 4 selected');
  await cells.nth(3).click({ modifiers: ['ControlOrMeta'] });
  await expect(page.getByTestId('library-count')).toHaveText('10 photos · 3 selected');
  await expect(cells.nth(3)).toHaveAttribute('aria-selected', 'false');
  await expect(cells.nth(4)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('details-panel')).toContainText('3 photos selected');
  // Keyboard: arrows move the focus and the selection, Ctrl+A selects everything shown.
  await page.getByTestId('thumbnail-grid').press('ArrowRight');
  await expect(page.getByTestId('library-count')).toHaveText('10 photos · 1 selected');
  await page.getByTestId('thumbnail-grid').press('ControlOrMeta+a');
  await expect(page.getByTestId('library-count')).toHaveText('10 photos · 10 selected');
  await page.screenshot({ path: `${shots}/library.png` });
});

test('a folder of 5,000 photos renders only the rows in view and scrolls to the end', async ({ page, tempDir }) => {
  test.setTimeout(120_000);
  const folder = join(tempDir, 'many');
  await mkdir(folder);
  const source = join(samples, 'grey', '01.png');
  const small = join(tempDir, 'small.png');
  await sharp(source).resize(64, 64).toFile(small);
  for (let i = 0; i < 5000; i++) await copyFile(small, join(folder, `photo-${String(i).padStart(4, '0')}.png`));

  await page.getByTestId('open-folder-path').fill(folder);
  await page.getByTestId('open-folder-submit').click();
  await expect(page.getByTestId('library-count')).toHaveText(/^5[,.\u00a0\u202f]?000 photos$/, { timeout: 60_000 });
  const cells = page.getByTestId('thumbnail');
  const rendered = await cells.count();
  expect(rendered).toBeGreaterThan(0);
  expect(rendered).toBeLessThan(120);
  // Cells have a fixed size: the first one does not move while thumbnails load.
  const before = await cells.first().boundingBox();
  await expect(cells.first().locator('img')).toBeVisible();
  expect(await cells.first().boundingBox()).toEqual(before);

  // Halfway down: the cells there exist, the first ones are gone, the DOM stays small.
  await page.getByTestId('thumbnail-grid').evaluate((grid) => (grid.scrollTop = grid.scrollHeight / 2));
  await expect(page.locator(`[data-testid="thumbnail"][data-path="${join(folder, 'photo-2500.png')}"]`)).toBeVisible();
  await expect(page.locator(`[data-testid="thumbnail"][data-path="${join(folder, 'photo-0000.png')}"]`)).toHaveCount(0);
  expect(await cells.count()).toBeLessThan(120);

  await page.getByTestId('thumbnail-grid').press('End');
  const last = page.locator(`[data-testid="thumbnail"][data-path="${join(folder, 'photo-4999.png')}"]`);
  await expect(last).toBeVisible();
  await expect(last).toHaveAttribute('aria-selected', 'true');
  expect(await cells.count()).toBeLessThan(120);
});
