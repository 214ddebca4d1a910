// Seeded mutations of real image files for the decode fuzz test: bit flips, byte runs, truncation,
// chunk duplication, header damage. The same seed makes the same file on every run.
import { mulberry32 } from '../../../scripts/make-bad-corpus.js';

export type Mutation = 'bit-flips' | 'byte-run' | 'truncate' | 'duplicate-chunk' | 'header-flips' | 'zero-tail';
export const MUTATIONS: readonly Mutation[] = [
  'bit-flips',
  'byte-run',
  'truncate',
  'duplicate-chunk',
  'header-flips',
  'zero-tail',
];

export interface Mutated {
  bytes: Buffer;
  mutation: Mutation;
  /** Where and how much, for the failure message. */
  detail: string;
}

export function mutate(source: Buffer, seed: number): Mutated {
  const random = mulberry32(seed);
  const int = (n: number): number => Math.floor(random() * n);
  const mutation = MUTATIONS[int(MUTATIONS.length)]!;
  const bytes = Buffer.from(source);
  switch (mutation) {
    case 'bit-flips': {
      const flips = 1 + int(16);
      for (let i = 0; i < flips; i++) {
        const at = int(bytes.length);
        bytes[at] = bytes[at]! ^ (1 << int(8));
      }
      return { bytes, mutation, detail: `${flips} bit flips` };
    }
    case 'header-flips': {
      const span = Math.min(bytes.length, 128);
      const flips = 1 + int(4);
      for (let i = 0; i < flips; i++) {
        const at = int(span);
        bytes[at] = bytes[at]! ^ (1 << int(8));
      }
      return { bytes, mutation, detail: `${flips} bit flips in the first ${span} bytes` };
    }
    case 'byte-run': {
      const at = int(bytes.length);
      const length = Math.min(bytes.length - at, 1 + int(64));
      const value = int(256);
      bytes.fill(value, at, at + length);
      return { bytes, mutation, detail: `${length} bytes of 0x${value.toString(16)} at ${at}` };
    }
    case 'truncate': {
      const keep = int(bytes.length);
      return { bytes: bytes.subarray(0, keep), mutation, detail: `truncated to ${keep} of ${source.length} bytes` };
    }
    case 'zero-tail': {
      const from = int(bytes.length);
      bytes.fill(0, from);
      return { bytes, mutation, detail: `zeroed from byte ${from}` };
    }
    case 'duplicate-chunk': {
      const at = int(bytes.length);
      const length = Math.min(bytes.length - at, 1 + int(512));
      const insertAt = int(bytes.length);
      const out = Buffer.concat([
        bytes.subarray(0, insertAt),
        bytes.subarray(at, at + length),
        bytes.subarray(insertAt),
      ]);
      return { bytes: out, mutation, detail: `${length} bytes from ${at} repeated at ${insertAt}` };
    }
  }
}
