// Denoising defaults stated once: the engine applies them when a job leaves a value out (CLI,
// tests), and the settings schema starts from them, so the app and `clearframe denoise` agree.

/** Network tile side in pixels (a 448-px core inside 32 px of context each side). */
export const DEFAULT_TILE_SIZE = 512;

/** JPEG quality of denoised copies written as JPEG. */
export const DEFAULT_JPEG_QUALITY = 95;

/** output = original + strength·(denoised − original); 1 is the network's answer. */
export const DEFAULT_STRENGTH = 1;

/** The noise level a batch or preview uses until the user sets one: measured on each photo. */
export const DEFAULT_NOISE_LEVEL = 'auto' as const;

/**
 * What a batch request that does not say does with a photo already denoised (api/denoise-job.ts applies
 * it, the batch form starts from it): re-running a batch should not fill the folder with "name (2)"
 * copies unless asked to. A DenoiseJob without a value (the CLI's) writes another copy.
 */
export const DEFAULT_IF_COPY_EXISTS = 'skip' as const;
