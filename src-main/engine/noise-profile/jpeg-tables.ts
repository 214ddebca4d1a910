// What a JPEG's own headers say about how it was written: its quantisation tables (DQT), read back as
// the IJG quality that gives the nearest tables, and its chroma subsampling (SOF sampling factors).
// A camera's tables are not the IJG ones, so the quality is the nearest IJG equivalent: the one the
// trainer's JPEG step (sharp, libjpeg) should use to compress like the camera. Pure, over the bytes.

/** Annex K luminance and chrominance tables, in natural (row-major) order. */
const STD_LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51,
  87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101,
  72, 92, 95, 98, 112, 100, 103, 99,
];
const STD_CHROMA = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99,
];
/** Natural index of the k-th coefficient in zigzag order (the order DQT stores them in). */
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47,
  55, 62, 63,
];

export interface JpegTables {
  /** Quantisation tables by id (0 luma, 1 chroma as most encoders write them), in natural order. */
  tables: Map<number, number[]>;
  /** Sampling factors (h, v) per component, in frame order; empty when no SOF was found. */
  sampling: Array<[number, number]>;
  /** Quantisation table id per component, in frame order. */
  tableOf: number[];
}

/** The DQT tables and SOF sampling of a JPEG; undefined when the bytes are not a JPEG. */
export function readJpegTables(bytes: Uint8Array): JpegTables | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  const tables = new Map<number, number[]>();
  const sampling: Array<[number, number]> = [];
  const tableOf: number[] = [];
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image, or start of scan: the headers are over
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    const body = at + 4;
    const end = at + 2 + length;
    if (end > bytes.length) return undefined;
    if (marker === 0xdb) {
      for (let p = body; p < end;) {
        const precision = bytes[p]! >> 4;
        const id = bytes[p]! & 15;
        const table = new Array<number>(64);
        for (let k = 0; k < 64; k++)
          table[ZIGZAG[k]!] = precision ? (bytes[p + 1 + 2 * k]! << 8) | bytes[p + 2 + 2 * k]! : bytes[p + 1 + k]!;
        tables.set(id, table);
        p += 1 + 64 * (precision ? 2 : 1);
      }
    } else if (marker >= 0xc0 && marker <= 0xc3) {
      const components = bytes[body + 5]!;
      for (let c = 0; c < components; c++) {
        const f = bytes[body + 6 + c * 3 + 1]!;
        sampling.push([f >> 4, f & 15]);
        tableOf.push(bytes[body + 6 + c * 3 + 2]!);
      }
    }
    at = end;
  }
  return { tables, sampling, tableOf };
}

/** The table libjpeg writes for `quality` (1–100) from a standard table (jcparam.c's scaling). */
export function ijgTable(standard: readonly number[], quality: number): number[] {
  const scale = quality < 50 ? Math.floor(5000 / quality) : 200 - 2 * quality;
  return standard.map((v) => Math.min(255, Math.max(1, Math.floor((v * scale + 50) / 100))));
}

/**
 * The IJG quality (1–100) whose tables are nearest the file's (summed |log ratio| over luma, and
 * chroma when there is one), with that distance per coefficient: 0 for a file libjpeg wrote.
 */
export function estimateJpegQuality(tables: JpegTables): { quality: number; distance: number } | undefined {
  const lumaId = tables.tableOf[0] ?? 0;
  const luma = tables.tables.get(lumaId);
  if (!luma) return undefined;
  const chromaId = tables.tableOf.find((id) => id !== lumaId);
  const chroma = chromaId === undefined ? undefined : tables.tables.get(chromaId);
  const cost = (actual: number[], standard: readonly number[], q: number): number =>
    ijgTable(standard, q).reduce((s, v, i) => s + Math.abs(Math.log(actual[i]! / v)), 0);
  let best = { quality: 0, distance: Infinity };
  for (let q = 1; q <= 100; q++) {
    const total = cost(luma, STD_LUMA, q) + (chroma ? cost(chroma, STD_CHROMA, q) : 0);
    const distance = total / (chroma ? 128 : 64);
    if (distance < best.distance - 1e-12) best = { quality: q, distance };
  }
  return best;
}

/** True when the chroma planes have half the luma's resolution both ways (4:2:0). */
export function isChroma420(tables: JpegTables): boolean {
  const [luma, ...chroma] = tables.sampling;
  if (!luma || chroma.length === 0) return false;
  return chroma.every(([h, v]) => luma[0] === 2 * h && luma[1] === 2 * v);
}
