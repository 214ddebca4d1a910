// Train → "Your camera": what profiling a folder of the user's photos answers (the cameras, their
// ISOs and noise-level curves, the clean photos a run would learn from), the request that trains a
// model for one of them, and the camera run's recipe, shared by the app and
// `clearframe train --preset camera`.
import { z } from 'zod';
import { PathString } from './common.js';
import { CameraName } from './settings.js';
import {
  modelIdFromName,
  TrainConfig,
  TrainStartRequest,
  TrainStartResponse,
  type CameraProfileNoise,
  type TrainConfigInput,
} from './train.js';

/** The model a camera's photos are profiled against, and the one a camera run fine-tunes. */
export const PROFILE_MODEL_ID = 'clearframe-photo';

/** Where photos without an EXIF camera are grouped; no per-camera default can match them. */
export const UNKNOWN_CAMERA = 'Unknown camera';

/** `train:profile-camera`: the folder of the user's photos (its images, not its subfolders). */
export const CameraProfileRequest = z.object({ folder: PathString }).strict();

const PerChannel = z.tuple([z.number(), z.number(), z.number()]);
const FileReason = z.object({ file: z.string(), reason: z.string() });

/** A photo the run would learn from: low ISO by EXIF and sharp (engine/noise-profile/pick-clean.ts). */
export const CleanPhoto = z.object({ file: z.string(), iso: z.number(), sharpness: z.number() });

/** One camera of the folder, as measured against the current photo model's output. */
export const CameraSummary = z.object({
  /** The EXIF camera ("Canon EOS 80D"), or "Unknown camera" for photos without one. */
  camera: z.string(),
  photos: z.number().int().nonnegative(),
  /** The ISOs among its photos, lowest first. */
  isos: z.array(z.number()),
  jpegQuality: z.number().int().optional(),
  chroma420: z.boolean(),
  /** Noise RMS (0–255) per channel, and over all. */
  rms: PerChannel,
  overallRms: z.number(),
  /** The noise-level function: RMS per channel against brightness (0–255). */
  curve: z.array(z.object({ level: z.number(), rms: PerChannel })),
  /** Its clean photos (low ISO, sharp): what a run learns from unless another folder is chosen. */
  clean: z.array(CleanPhoto),
});
export type CameraSummary = z.infer<typeof CameraSummary>;

export const CameraProfileResponse = z.object({
  folder: z.string(),
  /** Most photos first. */
  cameras: z.array(CameraSummary),
  /** Photos that could not be read or measured. */
  skipped: z.array(FileReason),
  /** Photos not picked to learn from, and why (high ISO, soft, no ISO in the EXIF…). */
  notClean: z.array(FileReason),
  /** Fewer clean photos than this are too few to learn from (choose a folder of clean photos instead). */
  cleanNeeded: z.number().int(),
  /** How long fitting the noise would take here, measured from the profile's own speed. */
  fitSeconds: z.object({ thorough: z.number().nonnegative(), quick: z.number().nonnegative() }),
});
export type CameraProfileResponse = z.infer<typeof CameraProfileResponse>;

/** How hard the noise fit searches: 'quick' fits on fewer, smaller scenes in one round (rougher). */
export const CameraFitEffort = z.enum(['thorough', 'quick']);
export type CameraFitEffort = z.infer<typeof CameraFitEffort>;

/**
 * `train:start-camera`: fit the training noise to `camera`'s photos in `folder` (profiled by
 * train:profile-camera; profiled again if the engine has forgotten), then fine-tune the photo model
 * on the camera's clean photos, or on the photos of `clean`. Epochs and steps: the camera preset's unless given.
 */
export const CameraTrainRequest = z
  .object({
    folder: PathString,
    camera: CameraName,
    clean: PathString.optional(),
    fit: CameraFitEffort.default('thorough'),
    epochs: TrainConfig.shape.epochs.removeDefault().optional(),
    stepsPerEpoch: TrainConfig.shape.stepsPerEpoch.removeDefault().optional(),
  })
  .strict();
export type CameraTrainInput = z.input<typeof CameraTrainRequest>;

/** The run, as train:start answers it, and its recipe (the Train view shows it and resumes with it). */
export const CameraTrainResponse = TrainStartResponse.extend({ config: TrainStartRequest });

/** `train:camera-progress`: profiling photos, fitting the noise (one evaluation of a candidate at a time). */
export const CameraProgress = z.object({
  folder: z.string(),
  stage: z.enum(['profile', 'fit']),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  file: z.string().optional(),
});
export type CameraProgress = z.infer<typeof CameraProgress>;

/**
 * `--preset camera` and Train → Your camera: fine-tune the photo model on one camera's fitted noise,
 * sized for the Quick budget (≤ 15 min on two cores with profiling and fitting): 9 epochs of 100 steps
 * of 16 patches of 64² (600 left the validation still rising), a quarter of the photo model's learning
 * rate, cosine decay. Validation is on
 * the camera's fitted noise over held-out clean photos (no clean photos of this camera exist to
 * validate on), so the run keeps the weights that denoise that noise best, the start's if none beats it.
 */
export const CAMERA_PRESET = { epochs: 9, stepsPerEpoch: 100, batch: 16, patch: 64, lr: 1.25e-4 } as const;

/** The camera model's name: "Clearframe-photo · Canon EOS 80D" (its id is the slug of it). */
export function cameraModelName(baseName: string, camera: string | undefined): string {
  return `${baseName} · ${camera ?? 'your camera'}`.slice(0, 128);
}

export function cameraTrainConfig(
  recipe: CameraProfileNoise,
  options: {
    data: string;
    out: string;
    init: string;
    measuredRms: number;
    baseName: string;
    workers?: number;
    command?: string;
  },
): TrainConfigInput {
  const name = cameraModelName(options.baseName, recipe.camera);
  return {
    data: options.data,
    out: options.out,
    init: options.init,
    arch: 'dcae-res-nl',
    channels: 3,
    ...CAMERA_PRESET,
    lrSchedule: 'cosine',
    noise: recipe,
    valNoise: recipe,
    valSigma: Math.max(1, Math.round(options.measuredRms)),
    runtime: 'onnxruntime',
    workers: options.workers ?? 2,
    checkpointEvery: 100,
    modelName: name,
    modelId: modelIdFromName(name),
    ...(options.command ? { command: options.command } : {}),
  };
}
