import { z } from 'zod';
import { pathShaped } from './common.js';
import { DEFAULT_JPEG_QUALITY, DEFAULT_NOISE_LEVEL, DEFAULT_STRENGTH, DEFAULT_TILE_SIZE } from '../denoise-defaults.js';
import {
  DenoiseQuality,
  NoiseLevel,
  OutputFormatChoice,
  SETTINGS_TILE_SIZE_MAX,
  Strength,
  tileSizeUpTo,
} from './denoise.js';
import { DEFAULT_OUTPUT_FOLDER, OutputFolderPattern } from './output-pattern.js';

/** Images above this many pixels are refused before decoding unless the user sets another limit: sharp's own (16383²). */
export const DEFAULT_PIXEL_LIMIT = 268_402_689;

const ModelIdSetting = z
  .string()
  .max(128)
  .regex(/^(|[A-Za-z0-9][A-Za-z0-9._-]*)$/, 'must be a model id (letters, digits, ".", "_", "-"), not a path');

/** The camera name a photo's EXIF gives ("Canon EOS 80D", engine/noise-profile/photo-exif.ts). */
export const CameraName = z.string().min(1).max(128);

/**
 * Per-camera default models: a colour photo whose EXIF camera is a key, in a job that names no
 * model, is denoised with that model (a model trained on the camera in Train → Your camera).
 */
export const CameraModels = z
  .record(CameraName, ModelIdSetting.min(1))
  .refine((map) => Object.keys(map).length <= 64, 'at most 64 cameras')
  .default({});
export type CameraModels = z.infer<typeof CameraModels>;

/**
 * Everything the user can set, with defaults. The same schema validates the settings file in
 * Electron (electron-store) and in the browser host (conf): one format, one place.
 */
export const Settings = z.object({
  outputFolderPattern: OutputFolderPattern.default(DEFAULT_OUTPUT_FOLDER),
  outputFormat: OutputFormatChoice.default('same'),
  jpegQuality: z.number().int().min(50).max(100).default(DEFAULT_JPEG_QUALITY),
  keepMetadata: z.boolean().default(true),
  /** Model ids ('' = automatic), never folder paths: those would load a model from any folder. */
  defaultModelGrey: ModelIdSetting.default(''),
  defaultModelColour: ModelIdSetting.default(''),
  cameraModels: CameraModels,
  strength: Strength.default(DEFAULT_STRENGTH),
  tileSize: tileSizeUpTo(SETTINGS_TILE_SIZE_MAX).default(DEFAULT_TILE_SIZE),
  /** Batch and preview default: 'auto' measures each photo's noise. */
  noiseLevel: NoiseLevel.default(DEFAULT_NOISE_LEVEL),
  quality: DenoiseQuality.default('normal'),
  /** An id from app:info's backends list, or 'auto'. Never a free-text device id. */
  runtime: z.string().max(64).default('auto'),
  threads: z.number().int().min(0).max(256).default(0), // 0 = all cores
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  recentFolders: z
    .array(pathShaped(z.string().max(4096)))
    .max(10)
    .default([]),
  maxPixels: z.number().int().min(1_000_000).max(2_000_000_000).default(DEFAULT_PIXEL_LIMIT),
});
export type Settings = z.infer<typeof Settings>;

/** Every setting at its default: what forms show before the settings have loaded. */
export const DEFAULT_SETTINGS: Settings = Settings.parse({});

/** Settings → Engine's choices the engine process applies when it opens a model (sent with each task). */
export const EngineChoice = Settings.pick({ runtime: true, threads: true });
export type EngineChoice = z.infer<typeof EngineChoice>;

type SettingsShape = typeof Settings.shape;
type PatchShape = { [K in keyof SettingsShape]: z.ZodOptional<ReturnType<SettingsShape[K]['removeDefault']>> };

/**
 * A partial update: only the given keys change; each is validated like the whole. Built from the
 * fields with their defaults removed: zod 4's `.partial()` keeps defaults, so a one-key patch
 * would otherwise reset every other setting.
 */
export const SettingsPatch = z
  .object(
    Object.fromEntries(
      Object.entries(Settings.shape).map(([key, field]) => [key, field.removeDefault().optional()]),
    ) as PatchShape,
  )
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;
