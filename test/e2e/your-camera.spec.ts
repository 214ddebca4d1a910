// Train → Your camera: a folder of generated JPEGs carrying EXIF camera and ISO (noisy high-ISO
// shots, sharp ISO 100 ones, one without EXIF) is measured; the view shows the camera, its ISOs, the
// noise-level plot and the photos it will learn from; a tiny run (quick fit, one epoch of two steps)
// ends with a model named after the camera that becomes the camera's default, shown in Settings,
// where it is undone (the model stays).
import { join } from 'node:path';
import { expect, test } from './fixtures.js';
import { hasShippedModels } from './models-support.js';
import { writeCameraFolder } from '../helpers/camera-photos.js';

test.use({ colorScheme: 'dark' });

test('measures a camera from its photos, trains a model named after it, and makes it the camera’s default until undone in Settings', async ({
  page,
  tempDir,
}) => {
  test.skip(!hasShippedModels(), 'the photos are measured against the shipped photo model');
  test.setTimeout(420_000);
  const photos = await writeCameraFolder(join(tempDir, 'photos'), {
    camera: { make: 'Canon', model: 'Canon EOS 80D' },
    noisy: 4,
    clean: 8,
    withoutExif: 1,
  });

  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByTestId('train-mode-camera').click();
  // A folder without photos says so.
  await page.getByTestId('camera-folder').fill(tempDir);
  await page.getByTestId('camera-profile').click();
  await expect(page.getByTestId('error-message')).toContainText('no photos to profile', { timeout: 60_000 });

  await page.getByTestId('camera-folder').fill(photos);
  await page.getByTestId('camera-profile').click();
  const options = page.getByTestId('camera-option');
  await expect(options.first()).toContainText('Canon EOS 80D', { timeout: 180_000 });
  await expect(options.first()).toContainText('12 photos · ISO 100–6400');
  await expect(options.nth(1)).toContainText('Unknown camera');
  await expect(page.getByTestId('error-message')).toHaveCount(0);
  await expect(page.getByTestId('camera-curve')).toHaveAttribute('data-points', /^[2-9]|^\d\d/);
  await expect(page.getByTestId('camera-curve').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('camera-clean-photos')).toContainText('Learns from 8 clean photos');
  await expect(page.getByTestId('camera-model-name')).toHaveText('Clearframe-photo · Canon EOS 80D');
  await expect(page.getByTestId('camera-estimate')).toContainText(/About .* on this machine/, { timeout: 120_000 });
  await page.getByTestId('camera-clean-photos').locator('summary').click();
  // Tall enough for the whole panel (the view scrolls inside the window).
  await page.setViewportSize({ width: 1280, height: 1500 });
  await page.screenshot({ path: 'test-results/screenshots/your-camera.png' });
  await page.setViewportSize({ width: 1280, height: 800 });

  // The unknown camera has no clean photos: Train waits for a folder of clean photos.
  await options.nth(1).locator('input').check();
  await expect(page.getByTestId('camera-too-few')).toContainText(
    'None of the Unknown camera photos are low-ISO and sharp; 8 are needed',
  );
  await expect(page.getByTestId('camera-train')).toBeDisabled();
  await options.first().locator('input').check();
  await expect(page.getByTestId('camera-train')).toBeEnabled();

  // A tiny run: the quick fit, one epoch of two steps.
  await page.getByTestId('camera-advanced').locator('summary').click();
  await page.getByTestId('camera-fit').selectOption('quick');
  await page.getByTestId('camera-epochs').fill('1');
  await page.getByTestId('camera-steps').fill('2');
  await page.getByTestId('camera-train').click();
  await expect(page.getByTestId('train-phase')).toHaveAttribute('data-phase', 'done', { timeout: 300_000 });
  await expect(page.getByTestId('camera-default')).toContainText(
    'Photos from Canon EOS 80D are denoised with Clearframe-photo · Canon EOS 80D',
  );
  await expect(page.getByTestId('train-installed')).toContainText('Clearframe-photo · Canon EOS 80D');
  await page.screenshot({ path: 'test-results/screenshots/your-camera-done.png', fullPage: true });

  await page.getByRole('link', { name: 'Models' }).click();
  const card = page.locator('[data-testid="model-card"][data-model-id="clearframe-photo-canon-eos-80d"]');
  await expect(card).toContainText('Clearframe-photo · Canon EOS 80D');

  await page.getByRole('link', { name: 'Settings' }).click();
  const mapping = page.getByTestId('settings-camera');
  await expect(mapping).toHaveCount(1);
  await expect(mapping).toContainText('Canon EOS 80D → Clearframe-photo · Canon EOS 80D');
  await page.getByTestId('settings-cameras').screenshot({ path: 'test-results/screenshots/settings-cameras.png' });
  await mapping.getByTestId('settings-camera-undo').click();
  await expect(page.getByTestId('settings-cameras-none')).toBeVisible();
  await expect(page.getByTestId('settings-status')).toHaveText('All changes saved');
  await page.reload();
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByTestId('settings-cameras-none')).toBeVisible();
  // The model itself stays.
  await page.getByRole('link', { name: 'Models' }).click();
  await expect(card).toHaveCount(1);
});
