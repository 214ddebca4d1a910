// Huge JPEGs in milliseconds, for the thumbnail memory tests. Encoding a real 16,000² photo with
// sharp takes a minute of CPU; libjpeg's memory for decoding one depends only on its dimensions,
// chroma sampling and whether it is progressive (a progressive file keeps every DCT coefficient of
// the whole image until the last scan), not on what it shows. So this writes a flat grey picture
// directly as JPEG syntax: every block is "DC difference 0, end of block", which is one bit each.
// A 16,000² 4:2:0 file is ~1.5 MB baseline and ~0.75 MB progressive, as a flat photo from an encoder.

/** Bits to bytes, with JPEG's 0xFF byte stuffing and padding with 1-bits at the end of a scan. */
class BitWriter {
  private readonly chunks: Buffer[] = [];
  private bytes: number[] = [];
  private current = 0;
  private count = 0;

  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.current = (this.current << 1) | ((value >> i) & 1);
      if (++this.count === 8) this.flushByte();
    }
  }

  /** `count` zero bits, fast: whole zero bytes need no stuffing. */
  zeros(count: number): void {
    while (count > 0 && this.count !== 0) {
      this.write(0, 1);
      count--;
    }
    this.chunks.push(Buffer.from(this.bytes), Buffer.alloc(Math.floor(count / 8)));
    this.bytes = [];
    this.write(0, count % 8);
  }

  finish(): Buffer {
    if (this.count > 0) this.write(0xff, 8 - this.count);
    return Buffer.concat([...this.chunks, Buffer.from(this.bytes)]);
  }

  private flushByte(): void {
    this.bytes.push(this.current);
    if (this.current === 0xff) this.bytes.push(0);
    this.current = 0;
    this.count = 0;
  }
}

function segment(marker: number, body: number[]): Buffer {
  const length = body.length + 2;
  return Buffer.from([0xff, marker, length >> 8, length & 0xff, ...body]);
}

/** A Huffman table giving every symbol a code of `length` bits, in order (0, 1, 2, ...). */
function huffmanTable(tableClass: 0 | 1, id: number, symbols: number[], length: number): Buffer {
  const counts = new Array<number>(16).fill(0);
  counts[length - 1] = symbols.length;
  return segment(0xc4, [(tableClass << 4) | id, ...counts, ...symbols]);
}

const u16 = (n: number): number[] => [n >> 8, n & 0xff];

/**
 * A flat mid-grey YCbCr 4:2:0 JPEG of `width` × `height` (multiples of 16), baseline or progressive.
 * Decoders read it like any other: libjpeg allocates for it exactly what it would for a photo.
 */
export function flatJpeg(width: number, height: number, options: { progressive: boolean }): Buffer {
  if (width % 16 || height % 16) throw new Error('flatJpeg: width and height must be multiples of 16');
  const lumaBlocks = (width / 8) * (height / 8);
  const chromaBlocks = lumaBlocks / 4;
  const parts: Buffer[] = [Buffer.from([0xff, 0xd8])];
  parts.push(segment(0xdb, [0, ...new Array<number>(64).fill(1)])); // one quantisation table, all 1
  const components = [
    [1, 0x22, 0],
    [2, 0x11, 0],
    [3, 0x11, 0],
  ].flat();
  parts.push(segment(options.progressive ? 0xc2 : 0xc0, [8, ...u16(height), ...u16(width), 3, ...components]));
  // DC: the one symbol "difference category 0" as the 1-bit code 0.
  parts.push(huffmanTable(0, 0, [0], 1));
  if (!options.progressive) {
    // AC: the one symbol "end of block" as the 1-bit code 0; every block is then the two bits 00.
    parts.push(huffmanTable(1, 0, [0], 1));
    parts.push(segment(0xda, [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]));
    const bits = new BitWriter();
    bits.zeros((lumaBlocks + 2 * chromaBlocks) * 2);
    parts.push(bits.finish());
  } else {
    // Scan 1, all components interleaved: the DC of every block, one bit each.
    parts.push(segment(0xda, [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 0, 0]));
    const dc = new BitWriter();
    dc.zeros(lumaBlocks + 2 * chromaBlocks);
    parts.push(dc.finish());
    // Then one AC scan per component: runs of empty blocks (EOBr, r = 0..14, 4-bit codes + r bits).
    const eobRuns = Array.from({ length: 15 }, (_, r) => r << 4);
    parts.push(huffmanTable(1, 0, eobRuns, 4));
    for (const [id, blocks] of [
      [1, lumaBlocks],
      [2, chromaBlocks],
      [3, chromaBlocks],
    ] as const) {
      parts.push(segment(0xda, [1, id, 0x00, 1, 63, 0]));
      const ac = new BitWriter();
      let left = blocks;
      while (left > 0) {
        const r = Math.min(14, Math.floor(Math.log2(left)));
        const run = Math.min(left, 2 ** (r + 1) - 1);
        ac.write(r, 4);
        ac.write(run - 2 ** r, r);
        left -= run;
      }
      parts.push(ac.finish());
    }
  }
  parts.push(Buffer.from([0xff, 0xd9]));
  return Buffer.concat(parts);
}
