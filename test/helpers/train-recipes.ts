// The recipe TrainConfig's defaults made before they became the app's default recipe (DEFAULT_RECIPE,
// issue 26). Tests of small grey runs spread it first (their own fields override it), so what they
// train, and how fast, stays as it was.
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
