// `npm run icons`: renders assets/icon.svg into the icons electron-builder packs:
//   build/icons/<size>x<size>.png  (Linux: AppImage/deb hicolor sizes)
//   build/icon.png (512, the default for every target) and build/icon.ico (Windows: NSIS + exe)
// The ICO container is written here: a 6-byte header, one 16-byte entry per image, then the PNGs
// themselves (PNG-in-ICO, supported since Windows Vista).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;

export interface IcoImage {
  size: number;
  png: Buffer;
}

/** An .ico file holding the given PNGs (each at most 256 px square). */
export function encodeIco(images: readonly IcoImage[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type 1 = icon
  header.writeUInt16LE(images.length, 4);
  const entries = Buffer.alloc(16 * images.length);
  let offset = header.length + entries.length;
  images.forEach(({ size, png }, index) => {
    if (size < 1 || size > 256) throw new Error(`ICO images are 1–256 px; got ${size}.`);
    const at = index * 16;
    entries.writeUInt8(size === 256 ? 0 : size, at); // 0 means 256
    entries.writeUInt8(size === 256 ? 0 : size, at + 1);
    entries.writeUInt8(0, at + 2); // no palette
    entries.writeUInt8(0, at + 3); // reserved
    entries.writeUInt16LE(1, at + 4); // colour planes
    entries.writeUInt16LE(32, at + 6); // bits per pixel
    entries.writeUInt32LE(png.length, at + 8);
    entries.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, entries, ...images.map((image) => image.png)]);
}

export async function renderIcon(svg: Buffer, size: number): Promise<Buffer> {
  // Render at a density that gives `size` directly, so small icons stay crisp rather than downscaled blur.
  return sharp(svg, { density: Math.max(1, (72 * size) / 512) })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toBuffer();
}

async function main(): Promise<void> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const svg = await readFile(join(root, 'assets', 'icon.svg'));
  const iconsDir = join(root, 'build', 'icons');
  await mkdir(iconsDir, { recursive: true });
  const pngs = new Map<number, Buffer>();
  for (const size of PNG_SIZES) {
    const png = await renderIcon(svg, size);
    pngs.set(size, png);
    await writeFile(join(iconsDir, `${size}x${size}.png`), png);
  }
  await writeFile(join(root, 'build', 'icon.png'), pngs.get(512)!);
  await writeFile(
    join(root, 'build', 'icon.ico'),
    encodeIco(ICO_SIZES.map((size) => ({ size, png: pngs.get(size)! }))),
  );
  console.log(`Wrote ${PNG_SIZES.length} PNGs to build/icons, build/icon.png and build/icon.ico.`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
