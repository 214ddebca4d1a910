// Starts a tiny training run from the Train view's form, as the E2E specs that only need a run to
// happen do: a folder of 4 small images, the Advanced section's patch 32 and batch 2, a few epochs
// of 2 steps, and a name. The Train view must be open.
import type { Page } from '@playwright/test';
import { expect } from './fixtures.js';

export async function startTinyRun(page: Page, run: { data: string; epochs: number; name: string }): Promise<void> {
  await page.getByTestId('train-data').fill(run.data);
  await page.getByTestId('train-check').click();
  await expect(page.getByTestId('train-dataset-count')).toContainText('4 usable images', { timeout: 60_000 });
  await page.getByTestId('train-advanced').locator('summary').click();
  await page.getByTestId('train-patch').fill('32');
  await page.getByTestId('train-batch').fill('2');
  await page.getByTestId('train-epochs').fill(String(run.epochs));
  await page.getByTestId('train-steps').fill('2');
  await page.getByTestId('train-name').fill(run.name);
  await page.getByTestId('train-start').click();
}
