// Where a noise field's energy sits in scale: the share of its energy in each level of an
// orthonormal 2-D Haar pyramid (the finest details first, what is left coarser than the last level
// at the end), in luma and the two colour differences (BT.601). White noise puts 3/4 of its energy
// in the finest details and a quarter of the rest in each coarser level; demosaicing, in-camera
// noise reduction and JPEG move it to coarser levels. Comparing these shares between real noise
// (noisy − clean pairs) and a synthetic recipe's says whether the recipe's noise has the camera's grain.

/** Detail levels of the pyramid; the last share is what is coarser (2^LEVELS px and beyond). */
export const SPECTRUM_LEVELS = 4;

export interface NoiseSpectrum {
  /** RMS of the plane, on the scale of the input (levels on 0–255 when the input is). */
  rms: number;
  /** Share of the energy per detail level (finest first), then the rest: SPECTRUM_LEVELS + 1 numbers summing to 1. */
  shares: number[];
}

/** The spectrum of one plane (row-major); the plane is cropped to a multiple of 2^SPECTRUM_LEVELS. */
export function planeSpectrum(plane: ArrayLike<number>, width: number, height: number): NoiseSpectrum {
  const block = 2 ** SPECTRUM_LEVELS;
  let w = Math.floor(width / block) * block;
  let h = Math.floor(height / block) * block;
  if (w === 0 || h === 0) throw new Error(`A ${width}×${height} plane is smaller than ${block}×${block}`);
  let ll = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) ll[y * w + x] = plane[y * width + x]!;
  const n = w * h;
  const total = ll.reduce((s, v) => s + v * v, 0);
  const energies: number[] = [];
  for (let level = 0; level < SPECTRUM_LEVELS; level++) {
    const [w2, h2] = [w / 2, h / 2];
    const next = new Float64Array(w2 * h2);
    let detail = 0;
    for (let y = 0; y < h2; y++) {
      for (let x = 0; x < w2; x++) {
        const a = ll[2 * y * w + 2 * x]!;
        const b = ll[2 * y * w + 2 * x + 1]!;
        const c = ll[(2 * y + 1) * w + 2 * x]!;
        const d = ll[(2 * y + 1) * w + 2 * x + 1]!;
        // Orthonormal: the four outputs carry the four inputs' energy.
        detail += ((a - b + c - d) ** 2 + (a + b - c - d) ** 2 + (a - b - c + d) ** 2) / 4;
        next[y * w2 + x] = (a + b + c + d) / 2;
      }
    }
    energies.push(detail);
    [ll, w, h] = [next, w2, h2];
  }
  energies.push(ll.reduce((s, v) => s + v * v, 0));
  return { rms: Math.sqrt(total / n), shares: energies.map((e) => (total > 0 ? e / total : 0)) };
}

/** Luma and colour-difference spectra of an interleaved RGB noise field (noisy − clean). */
export function rgbNoiseSpectra(
  noise: ArrayLike<number>,
  width: number,
  height: number,
): { y: NoiseSpectrum; cb: NoiseSpectrum; cr: NoiseSpectrum } {
  const planes = [new Float64Array(width * height), new Float64Array(width * height), new Float64Array(width * height)];
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = [noise[i * 3]!, noise[i * 3 + 1]!, noise[i * 3 + 2]!];
    planes[0]![i] = 0.299 * r + 0.587 * g + 0.114 * b;
    planes[1]![i] = -0.168736 * r - 0.331264 * g + 0.5 * b;
    planes[2]![i] = 0.5 * r - 0.418688 * g - 0.081312 * b;
  }
  const [y, cb, cr] = planes.map((p) => planeSpectrum(p, width, height)) as [
    NoiseSpectrum,
    NoiseSpectrum,
    NoiseSpectrum,
  ];
  return { y, cb, cr };
}
