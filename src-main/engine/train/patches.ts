// Patch extraction and the 8 dihedral augmentations (flips and 90° rotations), as pure functions
// over images kept decoded in memory (Uint8, interleaved HWC), so drawing a batch is a few copies.

export interface ImageU8 {
  width: number;
  height: number;
  channels: number;
  /** Interleaved HWC samples 0..255. */
  data: Uint8Array;
}

/**
 * One of the 8 symmetries of the square: bit 0 flips horizontally, bit 1 flips vertically, bit 2
 * transposes (applied first). Together they cover all flips and 90° rotations.
 */
export type Dihedral = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

/**
 * The size×size patch at (left, top), transformed by `transform`, as 0..1 floats (HWC).
 * Output pixel (r, c) reads source (top + i, left + j) where (i, j) is (r, c) transformed.
 */
export function extractPatch(
  image: ImageU8,
  left: number,
  top: number,
  size: number,
  transform: Dihedral = 0,
  out = new Float32Array(size * size * image.channels),
): Float32Array {
  if (left < 0 || top < 0 || left + size > image.width || top + size > image.height) {
    throw new RangeError(`Patch ${size}×${size} at (${left}, ${top}) does not fit in ${image.width}×${image.height}`);
  }
  const { channels, width, data } = image;
  const transpose = (transform & 4) !== 0;
  const flipH = (transform & 1) !== 0;
  const flipV = (transform & 2) !== 0;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      let i = transpose ? c : r;
      let j = transpose ? r : c;
      if (flipV) i = size - 1 - i;
      if (flipH) j = size - 1 - j;
      const src = ((top + i) * width + left + j) * channels;
      const dst = (r * size + c) * channels;
      for (let k = 0; k < channels; k++) out[dst + k] = data[src + k]! / 255;
    }
  }
  return out;
}
