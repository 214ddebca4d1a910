// Content like a full-resolution photo's, made from small training photos. A 12-MP photo at 1:1 is
// far smoother per pixel than a 0.15-MP training photo (BSDS: scans reduced ~5×, film grain and all),
// and the level a denoiser does best at depends on it: on smooth content a higher level than the
// noise's RMS wins, as there is less detail for it to take. Used to fit and to check Auto's rule on
// synthetic data (scripts/fit-auto-level.ts, scripts/level-vs-content.ts).
import { halveThenEnlarge8 } from '../io/samples-8bit.js';
import { toBytes } from './jpeg-roundtrip.js';
import { extractPatch, type Dihedral, type ImageU8 } from './patches.js';

/** The side of the region that, enlarged to `size`, magnifies its content `magnify`× (never more than `size`). */
export function magnifiedRegion(size: number, magnify: number): number {
  return Math.min(size, Math.round(size / magnify));
}

/**
 * The region×region patch of `image` at (left, top), transformed, made size×size like full-resolution
 * content (enlargeLikeFullResolution); a region of `size` is the patch itself.
 */
export async function enlargedPatch(
  image: ImageU8,
  left: number,
  top: number,
  region: number,
  size: number,
  transform: Dihedral = 0,
): Promise<Float32Array> {
  const patch = extractPatch(image, left, top, region, transform);
  return region === size ? patch : enlargeLikeFullResolution(patch, region, size, image.channels as 1 | 3);
}

/**
 * A square HWC patch (0..1 floats, side `side`) made `size`×`size`: area-averaged 2× first (a
 * full-resolution photo holds no detail at one pixel that its lens and demosaicing did not pass,
 * and the scan's grain goes with it), then enlarged by Lanczos-3; back on the 8-bit grid like a
 * photo's samples. The net magnification is size / side.
 */
export async function enlargeLikeFullResolution(
  patch: Float32Array,
  side: number,
  size: number,
  channels: 1 | 3 = 3,
): Promise<Float32Array> {
  if (patch.length !== side * side * channels)
    throw new RangeError(
      `A ${side}×${side}×${channels} patch has ${side * side * channels} samples, not ${patch.length}`,
    );
  const { data } = await halveThenEnlarge8(toBytes(patch), { width: side, height: side, channels }, size, size);
  return Float32Array.from(data, (v) => v / 255);
}
