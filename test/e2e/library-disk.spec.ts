// The library as the disk has it: "Denoised" badges come from the copies on disk, so they are there
// after the app restarts; "Include subfolders" does not list Clearframe's own output folders; and the
// open folder is watched, so a photo copied in appears and a deleted one goes, without reopening.
import { copyFile, mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { copyImages, expect, launchHost, samples, test } from './fixtures.js';
import { ensureModel, skipWithoutEngine } from './models-support.js';

const badge = (page: Page, name: string) =>
  page.locator(`[data-testid="thumbnail"][data-path$="/${name}"] [data-testid="status-badge"]`);

test('badges survive a restart, output folders are not listed, added and removed photos show up', async ({
  page,
  host,
  tempDir,
}) => {
  test.setTimeout(240_000);
  await skipWithoutEngine(host);
  await ensureModel(host);
  const folder = await copyImages(join(samples, 'grey'), join(tempDir, 'photos'), 3);
  await mkdir(join(folder, 'trip'));
  await copyFile(join(samples, 'grey', '10.png'), join(folder, 'trip', '10.png'));

  // Denoise two of the photos in this session.
  await page.getByTestId('open-folder-path').fill(folder);
  await page.getByTestId('open-folder-submit').click();
  await expect(page.getByTestId('library-count')).toHaveText('3 photos');
  await page.getByTestId('thumbnail').filter({ hasText: '01.png' }).click();
  await page
    .getByTestId('thumbnail')
    .filter({ hasText: '02.png' })
    .click({ modifiers: ['ControlOrMeta'] });
  await page.getByTestId('library-denoise').click();
  await page.getByTestId('batch-start').click();
  await expect(page.getByTestId('job-summary')).toHaveText('2 denoised.', { timeout: 120_000 });

  // A restart: a new host process with its own data folder, a fresh page.
  await host.stop();
  const again = await launchHost(join(tempDir, 'data-after-restart'));
  try {
    await page.goto(again.url);
    await page.getByTestId('open-folder-path').fill(folder);
    await page.getByTestId('open-folder-recursive').check();
    await page.getByTestId('open-folder-submit').click();
    // Three photos and trip/10.png; denoised/01.png and denoised/02.png are outputs, not photos.
    await expect(page.getByTestId('library-count')).toHaveText('4 photos');
    await expect(page.locator('[data-testid="thumbnail"][data-path*="/denoised/"]')).toHaveCount(0);
    await expect(badge(page, '01.png')).toHaveText('Denoised');
    await expect(badge(page, '02.png')).toHaveText('Denoised');
    await expect(badge(page, '03.png')).toHaveCount(0);
    await expect(badge(page, 'trip/10.png')).toHaveCount(0);

    // Photos copied in while the folder is open appear; a deleted one goes; a copy deleted loses its badge.
    await copyFile(join(samples, 'grey', '05.png'), join(folder, '05.png'));
    await copyFile(join(samples, 'grey', '06.png'), join(folder, 'trip', '06.png'));
    await expect(page.getByTestId('library-count')).toHaveText('6 photos');
    await expect(page.getByTestId('thumbnail').filter({ hasText: '05.png' })).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/library-disk.png' });
    await unlink(join(folder, '03.png'));
    await expect(page.getByTestId('library-count')).toHaveText('5 photos');
    await expect(page.getByTestId('thumbnail').filter({ hasText: '03.png' })).toHaveCount(0);
    await unlink(join(folder, 'denoised', '02.png'));
    await copyFile(join(samples, 'grey', '07.png'), join(folder, '07.png')); // the next re-list reads the disk again
    await expect(page.getByTestId('library-count')).toHaveText('6 photos');
    await expect(badge(page, '02.png')).toHaveCount(0);
    await expect(badge(page, '01.png')).toHaveText('Denoised');
  } finally {
    await again.stop();
  }
});
