// The strength slider blends original and denoised pixels on the client: instant, no round trip.
// out = original + strength × (denoised − original), per channel; alpha from the original.
export function blendPixels(
  original: Uint8ClampedArray,
  denoised: Uint8ClampedArray,
  strength: number,
  out: Uint8ClampedArray,
): void {
  if (original.length !== denoised.length || out.length !== original.length) {
    throw new Error(`blendPixels: sizes differ (${original.length}, ${denoised.length}, ${out.length})`);
  }
  const s = Math.min(1, Math.max(0, strength));
  for (let i = 0; i < original.length; i += 4) {
    out[i] = original[i]! + s * (denoised[i]! - original[i]!);
    out[i + 1] = original[i + 1]! + s * (denoised[i + 1]! - original[i + 1]!);
    out[i + 2] = original[i + 2]! + s * (denoised[i + 2]! - original[i + 2]!);
    out[i + 3] = original[i + 3]!;
  }
}
