// The settings story: change settings, reload, they are still there (persisted by the host).
import { expect, test } from './fixtures.js';

test.use({ colorScheme: 'dark' });

test('settings changes persist after a reload, and invalid values are refused inline', async ({ page }) => {
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/#\/settings$/);
  const pattern = page.getByTestId('settings-output-pattern');
  await expect(pattern).toHaveValue('denoised');

  // Out of range: the schema's message appears beside the field and nothing is saved.
  await page.getByTestId('settings-tile-size').fill('10');
  await page.getByTestId('settings-tile-size').press('Tab');
  await expect(page.getByRole('alert').filter({ hasText: /64/ })).toBeVisible();
  await expect(page.getByTestId('settings-tile-size')).toHaveAttribute('aria-invalid', 'true');

  await page.getByTestId('settings-tile-size').fill('256');
  await page.getByTestId('settings-tile-size').press('Tab');
  await expect(page.getByTestId('settings-tile-size')).toHaveAttribute('aria-invalid', 'false');
  // An unknown placeholder is refused where it is typed, with the reason.
  await pattern.fill('clean-{date}');
  await pattern.press('Tab');
  await expect(pattern).toHaveAttribute('aria-invalid', 'true');
  await pattern.fill('clean-{model}');
  await pattern.press('Tab');
  await expect(pattern).toHaveAttribute('aria-invalid', 'false');
  await page.getByTestId('settings-output-format').selectOption('png');
  await page.getByTestId('settings-keep-metadata').uncheck();
  await page.getByTestId('settings-theme-light').check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.getByTestId('settings-status')).toHaveText('All changes saved');
  // The runtime is a choice among the backends app:info reports, never free text (the engine tries
  // its GPU providers on a model before it answers, so the list may take a few seconds).
  await expect(page.getByTestId('settings-runtime').locator('option').nth(1)).toBeAttached({ timeout: 60_000 });
  const runtimeOptions = await page.getByTestId('settings-runtime').locator('option').allTextContents();
  expect(runtimeOptions[0]).toBe('Automatic');
  expect(runtimeOptions.length).toBeGreaterThan(1);
  // What really runs under that choice, as the engine opened the default model (app:info).
  await expect(page.getByTestId('settings-runs-on')).toContainText(
    /onnxruntime:cpu|onnxruntime:webgpu|onnxruntime:dml|tfjs:/,
    { timeout: 60_000 },
  );
  await page
    .locator('section[aria-labelledby="settings-engine"]')
    .screenshot({ path: 'test-results/screenshots/settings-engine.png' });
  await page.screenshot({ path: 'test-results/screenshots/settings-light.png' });

  await page.reload();
  await expect(page.getByTestId('settings-output-pattern')).toHaveValue('clean-{model}');
  await expect(page.getByTestId('settings-tile-size')).toHaveValue('256');
  await expect(page.getByTestId('settings-output-format')).toHaveValue('png');
  await expect(page.getByTestId('settings-keep-metadata')).not.toBeChecked();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

  await page.getByTestId('settings-theme-dark').check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.screenshot({ path: 'test-results/screenshots/settings.png' });
});
