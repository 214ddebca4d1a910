// BT.601 luma, the weights JPEG's YCbCr and the camera simulation's noise reduction use.

/** The BT.601 luma of an R, G, B triple (any scale: the result is on the same one). */
export function luma601(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}
