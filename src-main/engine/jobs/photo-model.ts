// Which default a photo of a job falls back on when the job names no model: the user's default for
// its channel count, except that a colour photo whose EXIF camera has a model in Settings' per-camera
// defaults (a model trained on that camera in Train → Your camera) takes that model instead. A job
// that names a model uses it for every photo: an explicit choice wins. Pure.
import type { DefaultModels } from '../../../src-shared/schemas/models.js';
import type { DenoiseJob } from '../contract/denoise-job.js';

export function defaultsForPhoto(
  job: Pick<DenoiseJob, 'modelId' | 'defaultModels' | 'cameraModels'>,
  camera: string | undefined,
): DefaultModels | undefined {
  if (job.modelId !== undefined || camera === undefined) return job.defaultModels;
  // Own keys only: a camera named "constructor" must not find Object's.
  const cameraModel =
    job.cameraModels && Object.hasOwn(job.cameraModels, camera) ? job.cameraModels[camera] : undefined;
  if (!cameraModel) return job.defaultModels;
  return { grey: job.defaultModels?.grey ?? '', colour: cameraModel };
}
