// Gaussian noise strength in the words cards and the Train view use (σ on the 0–255 scale).
export function noiseStrength(sigma: number): string {
  if (sigma <= 10) return 'light';
  if (sigma <= 20) return 'moderate';
  if (sigma <= 35) return 'strong';
  return 'very strong';
}
