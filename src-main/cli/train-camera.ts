// `clearframe train --preset camera --profile-from FOLDER --out DIR [--data DIR]`: teach the photo
// model one camera. FOLDER's photos are profiled and the camera-profile noise fitted to them
// (engine/noise-profile/camera-recipe.ts); the clean photos are --data, else the same library's own
// low-ISO sharp photos (listed, and linked into DIR-clean-photos/ for the run and its resumes). The
// recipe is written beside the run as DIR-camera-recipe.json, and the run is CAMERA_PRESET from
// clearframe-photo.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ClearframeError, describeZodError } from '../../src-shared/contract-core.js';
import { TrainConfig } from '../../src-shared/schemas/train.js';
import { cameraTrainConfig } from '../../src-shared/schemas/camera.js';
import { profileAndFit, recipeFile } from '../engine/noise-profile/camera-recipe.js';
import { linkCleanPhotos, tooFewCleanPhotos } from '../engine/noise-profile/clean-photos.js';
import { pickCleanPhotos } from '../engine/noise-profile/pick-clean.js';
import { ModelRegistry } from '../engine/models/registry.js';
import { defaultRegistryDirs } from '../settings/model-dirs.js';
import { assertTrainOutFolder } from '../engine/contract/out-folder.js';
import { parseCommand } from './command.js';

export const CAMERA_PRESET_USAGE = `clearframe train --preset camera --profile-from FOLDER --out DIR [--data DIR] [--camera NAME] [--workers N] [--json]
  profiles FOLDER's photos, fits the training noise to the camera with the most photos (or --camera),
  then fine-tunes clearframe-photo on clean photos: --data DIR, else FOLDER's own photos with EXIF ISO ≤ 400
  that are sharp. Writes DIR-camera-recipe.json beside the run.`;

const options = {
  preset: { type: 'string' },
  'profile-from': { type: 'string' },
  data: { type: 'string' },
  out: { type: 'string' },
  camera: { type: 'string' },
  workers: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

/** `usage` is printed for --help (the whole train command's). */
export async function cameraPresetConfig(
  argv: string[],
  usage: string,
): Promise<{ config: TrainConfig; json: boolean; resume: false } | undefined> {
  const args = parseCommand(argv, usage, { options });
  if (!args) return undefined;
  const { values } = args;
  if (values.preset !== 'camera')
    throw new ClearframeError('invalid-request', `Unknown --preset ${values.preset} (known: camera)`);
  if (!values['profile-from'] || !values.out)
    throw new ClearframeError('invalid-request', '--preset camera needs --profile-from FOLDER and --out DIR');
  const folder = path.resolve(values['profile-from']);
  const out = path.resolve(values.out);
  // Refused before the profile's minutes are spent, and before anything is written beside it.
  await assertTrainOutFolder(out);
  const say = (line: string): void => console.error(line);
  const data = values.data
    ? path.resolve(values.data)
    : await linkLibraryCleanPhotos(folder, `${out}-clean-photos`, values.camera, say);
  const registry = new ModelRegistry(defaultRegistryDirs());
  const photo = await registry.resolve('clearframe-photo', 3);
  const model = await registry.open(photo);
  let fitted;
  try {
    fitted = await profileAndFit(folder, {
      model,
      ...(values.camera ? { camera: values.camera } : {}),
      onPhoto: (done, total, file) => say(`profiling ${done}/${total} ${file}`),
    });
  } finally {
    await model.runtime.dispose();
  }
  const file = recipeFile(fitted.camera, fitted.fit);
  await writeFile(`${out}-camera-recipe.json`, JSON.stringify(file, null, 2) + '\n');
  say(
    `${fitted.camera.camera}: noise RMS ${fitted.camera.stats.overallRms.toFixed(2)}; fitted recipe at distance ${fitted.fit.distance.total.toFixed(3)} ` +
      `(profile ${fitted.seconds.profile.toFixed(0)} s, fit ${fitted.seconds.fit.toFixed(0)} s) → ${out}-camera-recipe.json`,
  );
  const config = cameraTrainConfig(file.noise, {
    data,
    out,
    init: photo.folder,
    measuredRms: fitted.camera.stats.overallRms,
    baseName: photo.card.name,
    ...(values.workers ? { workers: Number(values.workers) } : {}),
    command: ['clearframe', 'train', ...argv].join(' '),
  });
  const parsed = TrainConfig.safeParse(config);
  if (!parsed.success) throw new ClearframeError('invalid-request', describeZodError(parsed.error));
  return { config: parsed.data, json: values.json ?? false, resume: false };
}

/** Links the library's low-ISO sharp photos into `target` (made afresh) and lists them; too few is an error. */
async function linkLibraryCleanPhotos(
  folder: string,
  target: string,
  camera: string | undefined,
  say: (line: string) => void,
): Promise<string> {
  const { picked, left } = await pickCleanPhotos(folder, camera);
  const tooFew = tooFewCleanPhotos(picked.length, folder, 'Choose clean photos with --data DIR.');
  if (tooFew) throw new ClearframeError('invalid-request', tooFew);
  await linkCleanPhotos(
    folder,
    picked.map((p) => p.file),
    target,
  );
  say(`learning from ${picked.length} clean photo(s) (${left.length} left out):`);
  for (const p of picked) say(`  ${p.file}  ISO ${p.iso}  sharpness ${p.sharpness.toFixed(1)}`);
  return target;
}
