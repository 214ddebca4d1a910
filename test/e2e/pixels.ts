// Pixels read back from the page for the Compare specs: a region of a screenshot in grey, how
// rough it is (noise), and how much two such regions differ.
import type { Page } from '@playwright/test';
import sharp from 'sharp';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Greyscale pixels of a page region. */
export async function grab(page: Page, box: Box): Promise<{ data: Buffer; width: number; height: number }> {
  const png = await page.screenshot({ clip: box });
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Mean absolute difference between horizontal neighbours: high for noise, low once denoised. */
export function roughness(img: { data: Buffer; width: number; height: number }): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x + 2 < img.width; x += 2) {
      // Step 2: at 200% one image pixel is 2×2 screen pixels.
      sum += Math.abs(img.data[y * img.width + x]! - img.data[y * img.width + x + 2]!);
      n++;
    }
  return sum / n;
}

export function meanDifference(a: { data: Buffer }, b: { data: Buffer }): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}
