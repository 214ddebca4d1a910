// The icon pipeline: our ICO writer produces a container Windows reads (header, directory, PNGs at
// the offsets it claims), and the committed build/ icons are the ones make-icons renders.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodeIco, ICO_SIZES, PNG_SIZES, renderIcon } from '../../scripts/make-icons.js';

const root = resolve(import.meta.dirname, '../..');

interface IcoEntry {
  size: number;
  bytes: number;
  offset: number;
}

function readIcoDirectory(ico: Buffer): IcoEntry[] {
  expect(ico.readUInt16LE(0)).toBe(0);
  expect(ico.readUInt16LE(2)).toBe(1);
  const count = ico.readUInt16LE(4);
  return Array.from({ length: count }, (_, index) => {
    const at = 6 + index * 16;
    const side = ico.readUInt8(at);
    expect(ico.readUInt16LE(at + 4)).toBe(1);
    expect(ico.readUInt16LE(at + 6)).toBe(32);
    return { size: side === 0 ? 256 : side, bytes: ico.readUInt32LE(at + 8), offset: ico.readUInt32LE(at + 12) };
  });
}

async function pngAt(ico: Buffer, entry: IcoEntry): Promise<{ width?: number; height?: number; format?: string }> {
  return sharp(ico.subarray(entry.offset, entry.offset + entry.bytes)).metadata();
}

describe('encodeIco', () => {
  it('writes a directory whose entries point at decodable PNGs of the stated size', async () => {
    const svg = await readFile(join(root, 'assets', 'icon.svg'));
    const images = await Promise.all([16, 48, 256].map(async (size) => ({ size, png: await renderIcon(svg, size) })));
    const ico = encodeIco(images);
    const entries = readIcoDirectory(ico);
    expect(entries.map((e) => e.size)).toEqual([16, 48, 256]);
    expect(entries[0]!.offset).toBe(6 + 16 * 3);
    const last = entries[2]!;
    expect(last.offset + last.bytes).toBe(ico.length);
    for (const entry of entries)
      expect(await pngAt(ico, entry)).toMatchObject({ format: 'png', width: entry.size, height: entry.size });
  });

  it('refuses images larger than ICO can describe', () => {
    expect(() => encodeIco([{ size: 512, png: Buffer.alloc(8) }])).toThrow(/1–256 px/);
  });
});

describe('committed icons', () => {
  it('build/icon.ico holds every Windows size and build/icons every Linux size', async () => {
    const ico = await readFile(join(root, 'build', 'icon.ico'));
    const entries = readIcoDirectory(ico);
    expect(entries.map((e) => e.size)).toEqual([...ICO_SIZES]);
    for (const size of PNG_SIZES) {
      const meta = await sharp(join(root, 'build', 'icons', `${size}x${size}.png`)).metadata();
      expect(meta).toMatchObject({ width: size, height: size, channels: 4 });
    }
  });
});
