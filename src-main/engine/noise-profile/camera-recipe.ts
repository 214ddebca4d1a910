// From a folder of one camera's noisy photos to a training recipe: profile the photos against the
// current model, fit the camera-profile noise to the profile on smooth synthetic scenes, and write it
// as the JSON `clearframe train --noise camera-profile --profile FILE` reads. Shared by `clearframe
// profile`, `clearframe train --preset camera` and `npm run bench:camera`.
import { readFile } from 'node:fs/promises';
import { CameraProfileNoise, modelIdFromName, type TrainConfigInput } from '../../../src-shared/schemas/train.js';
import { EngineError } from '../contract/engine-error.js';
import type { RunnableModel } from '../infer/denoise-tiled.js';
import { fitCameraRecipe, smoothScenes, type FitResult, type NoiseDistance } from './fit-recipe.js';
import { modelReference } from './model-reference.js';
import type { NoiseStats } from './measure-noise.js';
import { profileFolder, type CameraProfile, type NoiseProfile, type ProfileOptions } from './profile-folder.js';

/** What `--profile FILE` holds: the fitted noise, and what it was fitted to. */
export interface RecipeFile {
  noise: CameraProfileNoise;
  camera: string;
  isos: number[];
  photos: number;
  /** How far the fitted noise's measurement stays from the photos' (0: identical). */
  distance: NoiseDistance;
  profile: NoiseStats;
  synthetic: NoiseStats;
}

export function recipeFile(camera: CameraProfile, fit: FitResult): RecipeFile {
  return { noise: fit.recipe, camera: camera.camera, isos: camera.isos, photos: camera.photos.length, distance: fit.distance, profile: camera.stats, synthetic: fit.measured };
}

/** The noise of a recipe file (or of a bare camera-profile noise object); a typed error when it is neither. */
export async function readRecipeNoise(file: string): Promise<CameraProfileNoise> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new EngineError('invalid-request', `Cannot read the profile recipe ${file}: ${(error as Error).message}`, file);
  }
  const candidate = json && typeof json === 'object' && 'noise' in json ? (json as { noise: unknown }).noise : json;
  const parsed = CameraProfileNoise.safeParse(candidate);
  if (!parsed.success) throw new EngineError('invalid-request', `${file} is not a camera-profile recipe (write one with: clearframe profile FOLDER --recipe FILE)`, file);
  return parsed.data;
}

export interface CameraFit {
  profile: NoiseProfile;
  camera: CameraProfile;
  fit: FitResult;
  seconds: { profile: number; fit: number };
}

/**
 * Profiles `folder`, picks its camera (`camera`, else the one with the most photos) and fits the
 * recipe on smooth synthetic scenes (fit-recipe.ts: smoothScenes), 6 of 256², seeded.
 */
export async function profileAndFit(
  folder: string,
  options: { model: RunnableModel; camera?: string; seed?: number } & Pick<ProfileOptions, 'fallbackFacts' | 'onPhoto' | 'crop'>,
): Promise<CameraFit> {
  const reference = modelReference(options.model);
  let started = performance.now();
  const profile = await profileFolder(folder, { ...options, reference, referenceName: options.model.card.id });
  const profileSeconds = (performance.now() - started) / 1000;
  const camera = options.camera ? profile.cameras.find((c) => c.camera === options.camera) : [...profile.cameras].sort((a, b) => b.photos.length - a.photos.length)[0];
  if (!camera) throw new EngineError('invalid-request', options.camera ? `No photos from ${options.camera} in ${folder}` : `No photos to profile in ${folder}`, folder);
  started = performance.now();
  const fit = await fitCameraRecipe(camera, { crops: smoothScenes(6, 256, options.seed ?? 1), reference, seed: options.seed ?? 1 });
  return { profile, camera, fit, seconds: { profile: profileSeconds, fit: (performance.now() - started) / 1000 } };
}

/**
 * `--preset camera`: fine-tune the photo model on one camera's fitted noise, sized for the Quick
 * budget (≤ 15 min on two cores with profiling and fitting): 6 epochs of 100 steps of 16 patches of
 * 64², a quarter of the photo model's learning rate, cosine decay. Validation is σ-labelled white
 * noise at the camera's measured RMS (no clean photos of this camera exist to validate on).
 */
export const CAMERA_PRESET = { epochs: 6, stepsPerEpoch: 100, batch: 16, patch: 64, lr: 1.25e-4 } as const;

export function cameraTrainConfig(
  recipe: CameraProfileNoise,
  options: { data: string; out: string; init: string; measuredRms: number; baseName: string; workers?: number; command?: string },
): TrainConfigInput {
  const name = `${options.baseName} · ${recipe.camera ?? 'your camera'}`;
  return {
    data: options.data,
    out: options.out,
    init: options.init,
    arch: 'dcae-res-nl',
    channels: 3,
    ...CAMERA_PRESET,
    lrSchedule: 'cosine',
    noise: recipe,
    valSigma: Math.max(1, Math.round(options.measuredRms)),
    runtime: 'onnxruntime',
    workers: options.workers ?? 2,
    checkpointEvery: 100,
    modelName: name.slice(0, 128),
    modelId: modelIdFromName(name),
    ...(options.command ? { command: options.command } : {}),
  };
}
