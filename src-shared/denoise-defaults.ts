// Denoising defaults stated once: the engine applies them when a job leaves a value out (CLI,
// tests), and the settings schema starts from them, so the app and `clearframe denoise` agree.

/** Network tile side in pixels (a 448-px core inside 32 px of context each side). */
export const DEFAULT_TILE_SIZE = 512;

/** JPEG quality of denoised copies written as JPEG. */
export const DEFAULT_JPEG_QUALITY = 95;
