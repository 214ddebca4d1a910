// From a folder of one camera's noisy photos to a training recipe: profile the photos against the
// current model, fit the camera-profile noise to the profile on smooth synthetic scenes, and write it
// as the JSON `clearframe train --noise camera-profile --profile FILE` reads. Shared by `clearframe
// profile`, `clearframe train --preset camera` and `npm run bench:camera`.
import { readFile } from 'node:fs/promises';
import type { CameraFitEffort } from '../../../src-shared/schemas/camera.js';
import { CameraProfileNoise } from '../../../src-shared/schemas/train.js';
import { EngineError } from '../contract/engine-error.js';
import type { RunnableModel } from '../infer/denoise-tiled.js';
import {
  fitCameraRecipe,
  GAIN_ROUNDS,
  rampScenes,
  smoothScenes,
  type FitOptions,
  type FitResult,
  type NoiseDistance,
} from './fit-recipe.js';
import { modelReference } from './model-reference.js';
import type { NoiseStats } from './measure-noise.js';
import {
  profileFolder,
  type CameraProfile,
  type NoiseProfile,
  type NoiseReference,
  type ProfileOptions,
} from './profile-folder.js';

/** What `--profile FILE` holds: the fitted noise, and what it was fitted to. */
export interface RecipeFile {
  noise: CameraProfileNoise;
  camera: string;
  isos: number[];
  photos: number;
  /** How far the fitted noise's measurement stays from the photos' (0: identical). */
  distance: NoiseDistance;
  /** The level curve's distance before the level gains and after (FitResult.levelCurve). */
  levelCurve: FitResult['levelCurve'];
  profile: NoiseStats;
  synthetic: NoiseStats;
}

export function recipeFile(camera: CameraProfile, fit: FitResult): RecipeFile {
  return {
    noise: fit.recipe,
    camera: camera.camera,
    isos: camera.isos,
    photos: camera.photos.length,
    distance: fit.distance,
    levelCurve: fit.levelCurve,
    profile: camera.stats,
    synthetic: fit.measured,
  };
}

/** The noise of a recipe file (or of a bare camera-profile noise object); a typed error when it is neither. */
export async function readRecipeNoise(file: string): Promise<CameraProfileNoise> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new EngineError(
      'invalid-request',
      `Cannot read the profile recipe ${file}: ${(error as Error).message}`,
      file,
    );
  }
  const candidate = json && typeof json === 'object' && 'noise' in json ? (json as { noise: unknown }).noise : json;
  const parsed = CameraProfileNoise.safeParse(candidate);
  if (!parsed.success)
    throw new EngineError(
      'invalid-request',
      `${file} is not a camera-profile recipe (write one with: clearframe profile FOLDER --recipe FILE)`,
      file,
    );
  return parsed.data;
}

export interface CameraFit {
  profile: NoiseProfile;
  camera: CameraProfile;
  fit: FitResult;
  seconds: { profile: number; fit: number };
}

/** The fit's synthetic scenes and search rounds per effort (the contract's CameraFitEffort). */
export const FIT_EFFORTS: Record<CameraFitEffort, { scenes: number; side: number; rounds: number }> = {
  thorough: { scenes: 6, side: 256, rounds: 3 },
  quick: { scenes: 2, side: 128, rounds: 1 },
};

/**
 * The most measurements on the scenes a fit of `effort` makes: its start, two rescalings, each
 * parameter both ways per round, and the level gains' check.
 */
function maxSceneEvaluations(effort: CameraFitEffort): number {
  return 3 + FIT_EFFORTS[effort].rounds * 8 + 1;
}

/** The most measurements a fit of `effort` makes: the scenes', and the level gains' rounds on ramps. */
export function maxFitEvaluations(effort: CameraFitEffort): number {
  return maxSceneEvaluations(effort) + GAIN_ROUNDS + 1;
}

/** Pixels a fit of `effort` denoises at most: what its time is estimated from. */
export function fitPixels(effort: CameraFitEffort): number {
  const { scenes, side } = FIT_EFFORTS[effort];
  return (maxSceneEvaluations(effort) * scenes + (GAIN_ROUNDS + 1) * rampScenes(1).length) * side * side;
}

/** `camera`'s profile in `profile`, else the camera with the most photos; a typed error when there is none. */
export function pickCamera(profile: NoiseProfile, camera?: string): CameraProfile {
  const found = camera
    ? profile.cameras.find((c) => c.camera === camera)
    : [...profile.cameras].sort((a, b) => b.photos.length - a.photos.length)[0];
  if (!found)
    throw new EngineError(
      'invalid-request',
      camera ? `No photos from ${camera} in ${profile.folder}` : `No photos to profile in ${profile.folder}`,
      profile.folder,
    );
  return found;
}

/** Fits the recipe to one camera's profile on smooth synthetic scenes (fit-recipe.ts: smoothScenes), seeded. */
export function fitProfiledCamera(
  camera: CameraProfile,
  reference: NoiseReference,
  options: { effort?: CameraFitEffort; seed?: number; onMeasured?: FitOptions['onMeasured'] } = {},
): Promise<FitResult> {
  const { scenes, side, rounds } = FIT_EFFORTS[options.effort ?? 'thorough'];
  const seed = options.seed ?? 1;
  return fitCameraRecipe(camera, {
    crops: smoothScenes(scenes, side, seed),
    reference,
    seed,
    rounds,
    ...(options.onMeasured ? { onMeasured: options.onMeasured } : {}),
  });
}

/**
 * Profiles `folder`, picks its camera (`camera`, else the one with the most photos) and fits the
 * recipe (thoroughly: 6 scenes of 256², 3 rounds).
 */
export async function profileAndFit(
  folder: string,
  options: { model: RunnableModel; camera?: string; seed?: number } & Pick<
    ProfileOptions,
    'fallbackFacts' | 'onPhoto' | 'crop'
  >,
): Promise<CameraFit> {
  const reference = modelReference(options.model);
  let started = performance.now();
  const profile = await profileFolder(folder, { ...options, reference, referenceName: options.model.card.id });
  const profileSeconds = (performance.now() - started) / 1000;
  const camera = pickCamera(profile, options.camera);
  started = performance.now();
  const fit = await fitProfiledCamera(camera, reference, options.seed === undefined ? {} : { seed: options.seed });
  return { profile, camera, fit, seconds: { profile: profileSeconds, fit: (performance.now() - started) / 1000 } };
}
