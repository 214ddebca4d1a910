// Recipes the tests share. GREY_GAUSSIAN_RECIPE: TrainConfig's defaults made before they became the
// app's default recipe (DEFAULT_RECIPE, issue 26); tests of small grey runs spread it first (their own
// fields override it), so what they train, and how fast, stays as it was.
import type { CameraProfileNoise } from '../../src-shared/schemas/train.js';

export const GREY_GAUSSIAN_RECIPE = {
  arch: 'dcae-res',
  channels: 1,
  noise: { type: 'gaussian', sigma: 25 },
  patch: 64,
  lr: 1e-3,
  epochs: 50,
} as const;

/** The same as `clearframe train` flags, for the fields the CLI tests leave out. */
export const GREY_GAUSSIAN_FLAGS = ['--channels', '1', '--sigma', '25', '--lr', '1e-3'] as const;

/** A fitted camera's noise of known settings, for the tests of the camera profile, its fit and its runs. */
export const TEST_CAMERA_NOISE = {
  type: 'camera-profile',
  camera: 'Test camera',
  shot: 8e-4,
  read: 4e-6,
  spread: 1,
  lumaSmoothing: 0.3,
  chromaSmoothing: 2,
  jpegQuality: 90,
  chroma420: true,
} as const satisfies CameraProfileNoise;
