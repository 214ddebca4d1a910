// Compare on a 12-MP photo at Fit (issue 22): the whole view shows a denoised preview — the photo
// reduced to the screen's size, denoised at its own noise level — within seconds, labelled as a
// preview, instead of a minute of hatched tiles; full-size tiles then replace it one by one,
// nearest the pointer first; from 50 % up the full-size tiles are what is shown (the preview is
// not); side by side keeps the zoom. The photo is generated (a drawn scene with Gaussian noise),
// so this runs on a clone with nothing beside it.
//
// The time until the Fit view shows no hatching is printed (the README's figure), never asserted:
// it depends on the machine and its load.
import { cpus, loadavg } from 'node:os';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { ensureModel, skipWithoutEngine } from './models-support.js';
import { grab, meanDifference, type Box } from './pixels.js';
import { writeGeneratedPhoto } from '../helpers/generated-photo.js';

test.use({ colorScheme: 'dark' });

/**
 * Milliseconds (page clock) at which the denoised side first shows no hatched tile: the readout is
 * up, something denoised is drawn, and no pending tile shows right of the divider. Polled every
 * animation frame in the page, so Playwright's round trips do not count.
 */
function whenNoHatching(page: Page, timeout: number): Promise<number> {
  return page.evaluate(
    (timeout) =>
      new Promise<number>((resolve, reject) => {
        const started = performance.now();
        const check = (): void => {
          const stage = document.querySelector('[data-testid=compare-stage]')?.getBoundingClientRect();
          const divider = document.querySelector('[data-testid=compare-divider]')?.getBoundingClientRect();
          const drawn = document.querySelector('[data-testid=overview-canvas], [data-testid=denoised-canvas]');
          if (stage && divider && drawn && document.querySelector('[data-testid=readout-progress]')) {
            const from = divider.x + divider.width / 2;
            const hatched = Array.from(document.querySelectorAll('[data-testid=pending-tile]')).some((tile) => {
              const r = tile.getBoundingClientRect();
              return r.right > from && r.left < stage.right && r.bottom > stage.top && r.top < stage.bottom;
            });
            if (!hatched) return resolve(performance.now());
          }
          if (performance.now() - started > timeout) return reject(new Error(`Still hatched after ${timeout} ms`));
          requestAnimationFrame(check);
        };
        check();
      }),
    timeout,
  );
}

test('a 12-MP photo at Fit: a whole denoised preview first, then full-size tiles from the pointer; 100 % shows full-size tiles; side by side keeps the zoom', async ({
  page,
  host,
  tempDir,
}) => {
  test.setTimeout(420_000);
  await skipWithoutEngine(host);
  await ensureModel(host);
  const folder = join(tempDir, 'big');
  await mkdir(folder, { recursive: true });
  await writeGeneratedPhoto(join(folder, 'generated-12mp.jpg'), { width: 4096, height: 3072, sigma: 20 });

  await page.getByTestId('open-folder-path').fill(folder);
  await page.getByTestId('open-folder-submit').click();
  const thumbnail = page.getByTestId('thumbnail').first();
  await expect(thumbnail).toBeVisible({ timeout: 60_000 });
  const opened = await page.evaluate(() => performance.now());
  await thumbnail.dblclick();
  await expect(page).toHaveURL(/#\/compare$/);
  await expect(page.getByTestId('compare-readout')).toContainText('4096 × 3072', { timeout: 60_000 });

  // The pointer rests over the photo, right of the divider: full-size tiles start there.
  const stage = (await page.getByTestId('compare-stage').boundingBox())!;
  const pointer = { x: stage.x + stage.width * 0.7, y: stage.y + stage.height * 0.3 };
  await page.mouse.move(pointer.x, pointer.y);

  const whole = await whenNoHatching(page, 360_000);
  const seconds = (whole - opened) / 1000;
  console.log(
    `Fit view of a 12-MP photo: no hatching ${seconds.toFixed(1)} s after opening it (${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'})`,
  );
  // The README's figure comes from a run with CLEARFRAME_RECORD_FIGURES=1 (a result file, never an assertion).
  if (process.env.CLEARFRAME_RECORD_FIGURES === '1') await recordFitFigure(seconds);
  await page.screenshot({ path: 'test-results/screenshots/compare-12mp-fit-preview.png' });

  // What shows is a preview, and says so; the full-size tiles are still coming.
  await expect(page.getByTestId('overview-canvas')).toHaveCount(1);
  await expect(page.getByTestId('tag-right')).toHaveText('Denoised · preview');
  await expect(page.getByTestId('readout-progress')).toHaveText(/^Preview · full size \d+ of \d+ tiles$/);

  // It is denoised: right of the divider it differs from the original (held), left of it it does not.
  const right: Box = {
    x: Math.round(stage.x + stage.width * 0.55),
    y: Math.round(stage.y + stage.height * 0.55),
    width: 120,
    height: 90,
  };
  const left: Box = { x: Math.round(stage.x + stage.width * 0.25), y: right.y, width: 120, height: 90 };
  const shown = await Promise.all([grab(page, right), grab(page, left)]);
  await page.getByTestId('hold-original').hover();
  await page.mouse.down();
  await expect(page.getByTestId('overview-canvas')).toHaveCount(0);
  const original = await Promise.all([grab(page, right), grab(page, left)]);
  await page.mouse.up();
  expect(meanDifference(shown[0]!, original[0]!)).toBeGreaterThan(1);
  expect(meanDifference(shown[1]!, original[1]!)).toBeLessThan(0.5);

  // Full-size tiles replace it, the first one under the pointer; no hatching meanwhile.
  await page.mouse.move(pointer.x, pointer.y);
  const first = page.getByTestId('denoised-canvas').first();
  await expect(first).toBeAttached({ timeout: 120_000 });
  const box = (await first.boundingBox())!;
  // The tile under the pointer or one touching it: the tile in flight while the pointer rested on
  // "hold original" was chosen from there, so the first to land may be the pointer tile's neighbour
  // (seen once in five quiet runs: 15 px beside it). The divider's tiles lie far from the pointer.
  const [slackX, slackY] = [box.width / 2, box.height / 2];
  expect(pointer.x).toBeGreaterThanOrEqual(box.x - slackX);
  expect(pointer.x).toBeLessThanOrEqual(box.x + box.width + slackX);
  expect(pointer.y).toBeGreaterThanOrEqual(box.y - slackY);
  expect(pointer.y).toBeLessThanOrEqual(box.y + box.height + slackY);
  // More land, with no hatching meanwhile and the overview still under them. (At least 3, not exactly:
  // on a quiet machine tiles land faster than the assertion polls, and the count went from 2 past 3.)
  await expect.poll(() => page.getByTestId('denoised-canvas').count(), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('pending-tile')).toHaveCount(0);
  await expect(page.getByTestId('overview-canvas')).toHaveCount(1);

  // 100 %: full-size tiles only; those still to come are marked.
  await page.getByTestId('zoom-100').click();
  await expect(page.getByTestId('overview-canvas')).toHaveCount(0);
  await expect(page.getByTestId('readout-progress')).toHaveText(
    /^(Denoised \d+ of \d+ tiles in view|In view: denoised)$/,
  );
  await expect(page.getByTestId('tag-right')).toHaveText('Denoised');

  // Side by side keeps the zoom, and shows the navigator (zoomed in, there is somewhere to go).
  await page.getByTestId('mode-side').click();
  await expect(page.getByTestId('zoom-level')).toHaveText('100%');
  await expect(page.getByTestId('navigator')).toBeVisible();
  // Fit side by side: the whole photo in each pane, the preview again, and no navigator over it.
  await page.getByTestId('zoom-fit').click();
  await expect(page.getByTestId('overview-canvas')).toHaveCount(1, { timeout: 60_000 });
  await expect(page.getByTestId('navigator')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/compare-12mp-side-fit.png' });
});

/** Adds this run to the day's result file (each run with its load), so the README can cite them all. */
async function recordFitFigure(seconds: number): Promise<void> {
  const file = join('bench', 'results', `compare-fit-${new Date().toISOString().slice(0, 10)}.json`);
  const earlier = await readFile(file, 'utf8').then(
    (text) => (JSON.parse(text) as { runs: unknown[] }).runs,
    () => [],
  );
  const run = {
    seconds: Number(seconds.toFixed(1)),
    loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
    date: new Date().toISOString(),
  };
  const result = {
    figure: 'seconds from opening a 12-MP photo until the Fit view shows no hatched tile',
    photo: 'generated 4096 × 3072 JPEG, σ 20 noise',
    model: 'clearframe-photo (default colour model, as the app runs it)',
    command: 'CLEARFRAME_RECORD_FIGURES=1 npx playwright test test/e2e/compare-fit-preview.spec.ts',
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length },
    versions: { node: process.versions.node },
    runs: [...earlier, run],
  };
  await writeFile(file, JSON.stringify(result, null, 2) + '\n');
}
