// Train → "Your camera" in the engine process: profile a folder of the user's photos (what the view
// shows: cameras, ISOs, noise-level curves, the clean photos a run would learn from), then, when the
// user trains, fit the training noise to one camera of it and link its clean photos beside the run.
// The last profile is kept, so training does not measure the photos a second time; an engine that
// restarted since profiles again. The reference is the shipped photo model, as for `clearframe profile`.
import {
  PROFILE_MODEL_ID,
  UNKNOWN_CAMERA,
  type CameraProfileResponse,
  type CameraProgress,
  type CameraSummary,
} from '../../../src-shared/schemas/camera.js';
import { EngineError } from '../contract/engine-error.js';
import type { RunnableModel } from '../infer/denoise-tiled.js';
import type { CameraRecipe, CameraRecipeRequest } from '../contract/protocol.js';
import { fitPixels, fitProfiledCamera, maxFitEvaluations, pickCamera } from './camera-recipe.js';
import { linkCleanPhotos, MIN_CLEAN_PHOTOS, tooFewCleanPhotos } from './clean-photos.js';
import { modelReference } from './model-reference.js';
import { pickCleanPhotos, type CleanPick } from './pick-clean.js';
import { profileFolder, type NoiseProfile, type NoiseReference } from './profile-folder.js';

/**
 * Noise synthesis and measurement on top of the network's time in a fit, by reading fit-recipe.ts
 * (camera-profile noise on each scene before each denoise): an allowance, not a measurement.
 */
const FIT_OVERHEAD = 1.3;

export class CameraProfiler {
  private last?: { profile: NoiseProfile; clean: CleanPick };

  constructor(private readonly model: () => Promise<RunnableModel>) {}

  async profile(folder: string, onProgress: (progress: CameraProgress) => void): Promise<CameraProfileResponse> {
    const reference = modelReference(await this.model());
    // The network's own speed here, from the profile's crops: what the fit's time is estimated from.
    let seconds = 0;
    let pixels = 0;
    const timed: NoiseReference = async (noisy, width, height) => {
      const started = performance.now();
      const out = await reference(noisy, width, height);
      seconds += (performance.now() - started) / 1000;
      pixels += width * height;
      return out;
    };
    const profile = await profileFolder(folder, {
      reference: timed,
      referenceName: PROFILE_MODEL_ID,
      onPhoto: (done, total, file) => onProgress({ folder, stage: 'profile', done, total, file }),
    });
    if (profile.cameras.length === 0) {
      const why = profile.skipped.length
        ? ` (${profile.skipped.length} could not be read: ${profile.skipped[0]!.file}: ${profile.skipped[0]!.reason})`
        : '';
      throw new EngineError(
        'invalid-request',
        `There are no photos to profile in ${folder}${why}. Choose the folder your camera's photos are in.`,
        folder,
      );
    }
    const clean = await pickCleanPhotos(folder);
    this.last = { profile, clean };
    const perPixel = pixels > 0 ? seconds / pixels : 0;
    return {
      folder,
      cameras: [...profile.cameras].sort((a, b) => b.photos.length - a.photos.length).map((c) => summarise(c, clean)),
      skipped: profile.skipped,
      notClean: clean.left,
      cleanNeeded: MIN_CLEAN_PHOTOS,
      fitSeconds: {
        thorough: FIT_OVERHEAD * perPixel * fitPixels('thorough'),
        quick: FIT_OVERHEAD * perPixel * fitPixels('quick'),
      },
    };
  }

  /** Fits `camera`'s noise (profiling `folder` first when the last profile was of another folder) and links its clean photos. */
  async recipe(request: CameraRecipeRequest, onProgress: (progress: CameraProgress) => void): Promise<CameraRecipe> {
    const { folder, camera: name, effort } = request;
    if (this.last?.profile.folder !== folder) await this.profile(folder, onProgress);
    const { profile, clean } = this.last!;
    const camera = pickCamera(profile, name);
    // Checked before the fit's minutes are spent.
    const files = cleanOf(clean, name).map((p) => p.file);
    const tooFew =
      request.linkTo === undefined
        ? undefined
        : tooFewCleanPhotos(files.length, folder, 'Choose a folder of clean photos to learn from instead.');
    if (tooFew) throw new EngineError('invalid-request', tooFew, folder);
    const total = maxFitEvaluations(effort);
    let done = 0;
    const fit = await fitProfiledCamera(camera, modelReference(await this.model()), {
      effort,
      onMeasured: () => onProgress({ folder, stage: 'fit', done: Math.min(total, ++done), total }),
    });
    if (request.linkTo !== undefined) await linkCleanPhotos(folder, files, request.linkTo);
    return { noise: fit.recipe, measuredRms: camera.stats.overallRms, distance: fit.distance.total };
  }
}

/** The clean photos picked from `camera`'s. */
function cleanOf(clean: CleanPick, camera: string): CleanPick['picked'] {
  return clean.picked.filter((p) => (p.camera ?? UNKNOWN_CAMERA) === camera);
}

function summarise(camera: NoiseProfile['cameras'][number], clean: CleanPick): CameraSummary {
  const { stats } = camera;
  return {
    camera: camera.camera,
    photos: camera.photos.length,
    isos: camera.isos,
    ...(camera.jpegQuality === undefined ? {} : { jpegQuality: camera.jpegQuality }),
    chroma420: camera.chroma420,
    rms: stats.rms,
    overallRms: stats.overallRms,
    curve: stats.curve.map((p) => ({ level: p.level, rms: p.rms })),
    clean: cleanOf(clean, camera.camera).map((p) => ({ file: p.file, iso: p.iso!, sharpness: p.sharpness })),
  };
}
