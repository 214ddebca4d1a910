// The queue story: a batch of real photos with one corrupt file; outputs on disk, the failure
// shown with its reason, originals untouched; and a cancel that really stops the batch.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { copyImages, expect, samples, test } from './fixtures.js';
import { ensureModel, skipWithoutEngine } from './models-support.js';
import type { Page } from '@playwright/test';

test.use({ colorScheme: 'dark' });

async function digest(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

async function openFolder(page: Page, folder: string): Promise<void> {
  await page.getByTestId('open-folder-path').fill(folder);
  await page.getByTestId('open-folder-submit').click();
  await expect(page.getByTestId('thumbnail').first()).toBeVisible();
}

test('denoises a batch, lists the corrupt file with its reason and leaves the originals alone', async ({
  page,
  host,
  tempDir,
}) => {
  test.setTimeout(300_000);
  await skipWithoutEngine(host);
  await ensureModel(host);
  const folder = await copyImages(join(samples, 'grey'), join(tempDir, 'batch'), 3);
  // A PNG whose header is fine (the library lists it) but whose pixel data is cut short.
  const whole = await readFile(join(samples, 'grey', '04.png'));
  await writeFile(join(folder, 'truncated.png'), whole.subarray(0, Math.floor(whole.length / 3)));
  const names = (await readdir(folder)).sort();
  const before = new Map(await Promise.all(names.map(async (n) => [n, await digest(join(folder, n))] as const)));

  await openFolder(page, folder);
  await expect(page.getByTestId('library-count')).toHaveText('4 photos');
  // Its cell says there is no preview, and why on hover.
  const refused = page.locator(
    '[data-testid="thumbnail"][data-path$="truncated.png"] [data-testid="thumbnail-refused"]',
  );
  await expect(refused).toHaveText('No preview');
  await expect(refused).toHaveAttribute('title', /^A preview of .*truncated\.png could not be made: ./);
  await page.getByTestId('library-denoise').click();
  await expect(page).toHaveURL(/#\/queue$/);
  await expect(page.getByTestId('batch-scope')).toContainText('Every photo');
  await page.getByTestId('batch-start').click();

  await expect(page.getByTestId('job-summary')).toHaveText('3 denoised · 1 failed.', { timeout: 150_000 });
  const failure = page.getByTestId('job-failure');
  await expect(failure).toHaveCount(1);
  await expect(failure).toContainText('truncated.png');
  await expect(failure.getByTestId('error-message')).not.toContainText(/at \w+ \(|Error:/); // a sentence, not a stack
  await expect(page.getByTestId('job-requeue')).toHaveText('Requeue cancelled/failed (1)');
  await expect(page.getByTestId('job-overall')).toHaveAttribute('value', '1');
  await page.screenshot({ path: 'test-results/screenshots/queue.png' });

  // Outputs: one per good photo, real images of the same size, in the output folder.
  const outputs = (await readdir(join(folder, 'denoised'))).sort();
  expect(outputs).toEqual(['01.png', '02.png', '03.png']);
  for (const name of outputs) {
    const meta = await sharp(join(folder, 'denoised', name)).metadata();
    expect([meta.width, meta.height]).toEqual([256, 256]);
    expect(await digest(join(folder, 'denoised', name))).not.toBe(before.get(name));
  }
  // Originals untouched, byte for byte.
  for (const [name, hash] of before) expect(await digest(join(folder, name))).toBe(hash);

  // The library shows what happened to each photo.
  await page.getByRole('link', { name: 'Library' }).click();
  await expect(page.locator('[data-testid="thumbnail"][data-path$="01.png"] [data-testid="status-badge"]')).toHaveText(
    'Denoised',
  );
  await expect(
    page.locator('[data-testid="thumbnail"][data-path$="truncated.png"] [data-testid="status-badge"]'),
  ).toHaveText('Failed');
});

test('in a browser, "Notify me" asks from the click (even where allowed before), then says when it will notify', async ({
  page,
  tempDir,
}) => {
  await page.context().grantPermissions(['notifications']);
  await openFolder(page, await copyImages(join(samples, 'grey'), join(tempDir, 'one'), 1));
  await page.getByTestId('library-denoise').click();
  await expect(page.getByTestId('notifications-on')).toHaveCount(0);
  await page.getByTestId('enable-notifications').click();
  await expect(page.getByTestId('notifications-on')).toHaveText(
    'You will get a notification when a long batch finishes while this tab is in the background.',
  );
  await expect(page.getByTestId('enable-notifications')).toHaveCount(0);
});

test('cancel stops a running batch: no more outputs are written', async ({ page, host, tempDir }) => {
  test.setTimeout(300_000);
  await skipWithoutEngine(host);
  await ensureModel(host);
  const folder = join(tempDir, 'big');
  // Large photos (many tiles each) so the batch is still running when we cancel.
  const source = join(samples, 'grey');
  const names = (await readdir(source))
    .filter((n) => n.endsWith('.png'))
    .sort()
    .slice(0, 10);
  await mkdir(folder);
  for (const name of names) await sharp(join(source, name)).resize(1536, 1536).toFile(join(folder, name));

  await openFolder(page, folder);
  // Newest name first: the batch runs in the grid's order, not in the folder listing's.
  await page.getByTestId('library-sort-direction').click();
  await expect(page.getByTestId('thumbnail').first()).toHaveAttribute('data-path', /10\.png$/);
  await page.getByTestId('thumbnail-grid').press('ControlOrMeta+a');
  await page.getByTestId('library-denoise').click();
  await expect(page.getByTestId('batch-scope')).toContainText('10 selected');
  await page.getByTestId('batch-start').click();
  await expect(page.getByTestId('job-cancel')).toBeVisible();
  await expect(page.getByTestId('job-stats')).toContainText(/^\s*[1-9]\d* of 10 done/, { timeout: 120_000 });
  await page.getByTestId('job-cancel').click();

  await expect(page.getByTestId('job-summary')).toContainText('cancelled', { timeout: 60_000 });
  await expect(page.getByTestId('job-cancel')).toHaveCount(0);
  const summary = (await page.getByTestId('job-summary').textContent()) ?? '';
  const done = Number(/(\d+) denoised/.exec(summary)?.[1]);
  expect(done).toBeLessThan(10);
  const outputFolder = join(folder, 'denoised');
  const written = async (): Promise<string[]> =>
    (await readdir(outputFolder).catch(() => [] as string[])).filter((n) => n.endsWith('.png'));
  expect((await written()).sort()).toEqual([...names].reverse().slice(0, done).sort());
  // Really stopped: nothing more appears afterwards (and no temp files are left behind).
  await page.waitForTimeout(5_000);
  expect((await written()).length).toBe(done);
  for (const name of await readdir(outputFolder).catch(() => [] as string[]))
    expect((await stat(join(outputFolder, name))).size).toBeGreaterThan(0);
});
