// SCRATCH (not committed): a folder of ~300 real photos and a 12-MP one, as a user would.
import { mkdir, symlink, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { expect, sharedData, test } from './fixtures.js';

test('a folder of 300 photos and a 12-MP photo', async ({ page, tempDir }) => {
  test.setTimeout(600_000);
  const folder = join(tempDir, 'photos');
  await mkdir(folder);
  let n = 0;
  for (const set of ['bsds-color-train', 'cbsd68', 'polyu-dev/noisy']) {
    for (const f of (await readdir(join(sharedData, set))).filter((x) => /\.(png|jpe?g)$/i.test(x))) {
      if (n >= 300) break;
      await symlink(join(sharedData, set, f), join(folder, `${String(n).padStart(3, '0')}-${f}`));
      n++;
    }
  }
  // 12 MP: a mosaic of 48 real noisy 512² photos, 4096×3072, as a camera JPEG.
  const noisy = (await readdir(join(sharedData, 'polyu-dev/noisy'))).sort();
  const tiles = [];
  for (let i = 0; i < 48; i++) tiles.push({ input: join(sharedData, 'polyu-dev/noisy', noisy[i % noisy.length]!), left: (i % 8) * 512, top: Math.floor(i / 8) * 512 });
  await sharp({ create: { width: 4096, height: 3072, channels: 3, background: '#000' } }).composite(tiles).jpeg({ quality: 92 }).toFile(join(folder, 'AAA-12mp.jpg'));
  const t0 = Date.now();
  await page.getByTestId('open-folder-path').fill(folder);
  await page.getByTestId('open-folder-submit').click();
  await expect(page.getByTestId('library-count')).toContainText('301', { timeout: 120_000 });
  console.log('listed in', Date.now() - t0, 'ms');
  await page.waitForTimeout(8000);
  await page.screenshot({ path: '/tmp/review-library.png' });
  await page.getByTestId('thumbnail').filter({ hasText: 'AAA-12mp' }).dblclick();
  await page.waitForTimeout(3000);
  await page.screenshot({ path: '/tmp/review-compare-0.png' });
  await page.waitForTimeout(30000);
  await page.screenshot({ path: '/tmp/review-compare-30.png' });
});
