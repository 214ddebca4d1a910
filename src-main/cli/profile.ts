// `clearframe profile FOLDER`: the noise of the cameras in a folder of photos, measured against the
// default photo model's output (engine/noise-profile/), as a table or as JSON; with --recipe FILE it
// also fits the camera-profile training noise to the camera with the most photos (or --camera) and
// writes it for `clearframe train --noise camera-profile --profile FILE`.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { profileAndFit, recipeFile } from '../engine/noise-profile/camera-recipe.js';
import { modelReference } from '../engine/noise-profile/model-reference.js';
import { profileFolder, type CameraProfile } from '../engine/noise-profile/profile-folder.js';
import { ModelRegistry, modelRefFromArg } from '../engine/models/registry.js';
import { defaultRegistryDirs } from '../settings/model-dirs.js';
import { parseCommand, UsageError } from './command.js';

export const PROFILE_USAGE = `clearframe profile FOLDER [--model ID|PATH (default clearframe-photo)] [--json]
  [--recipe FILE [--camera NAME]]
  measures the noise of each camera in FOLDER (by EXIF camera and ISO): RMS against brightness per
  channel, its correlation, chroma/luma, JPEG quality; --recipe fits the training noise to the camera with
  the most photos (or NAME) and writes FILE for: clearframe train --noise camera-profile --profile FILE`;

function describeCamera(c: CameraProfile): string {
  const s = c.stats;
  const curve = s.curve
    .map((p) => `  ${p.level.toFixed(0).padStart(4)}  ${p.rms.map((r) => r.toFixed(2).padStart(6)).join(' ')}`)
    .join('\n');
  return [
    `${c.camera}: ${c.photos.length} photo(s)${c.isos.length ? `, ISO ${c.isos.join(', ')}` : ''}; JPEG ${c.jpegQuality === undefined ? 'none' : `quality ≈${c.jpegQuality}`}${c.chroma420 ? ' 4:2:0' : ''}`,
    `  noise RMS ${s.overallRms.toFixed(2)} (R ${s.rms[0].toFixed(2)}, G ${s.rms[1].toFixed(2)}, B ${s.rms[2].toFixed(2)}) in ${s.blocks} flat blocks of ${s.blocksSeen}`,
    `  correlation to the next pixel: luma ${s.lumaCorrelation[0]!.toFixed(2)}, chroma ${s.chromaCorrelation[0]!.toFixed(2)}; chroma/luma ${s.chromaToLuma.toFixed(2)}`,
    `  brightness   RMS R      G      B`,
    curve,
    ...c.byIso.map((b) => `  ISO ${b.iso ?? '?'}: ${b.photos} photo(s), RMS ${b.stats.overallRms.toFixed(2)}`),
  ].join('\n');
}

export async function profileCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, PROFILE_USAGE, {
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      json: { type: 'boolean' },
      recipe: { type: 'string' },
      camera: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError('one FOLDER of photos is required');
  const folder = path.resolve(positionals[0]!);
  const registry = new ModelRegistry(defaultRegistryDirs());
  const model = await registry.open(await registry.resolve(modelRefFromArg(values.model ?? 'clearframe-photo'), 3));
  const progress = values.json
    ? undefined
    : (done: number, total: number, file: string) => process.stderr.write(`\rmeasuring ${done}/${total} ${file}\x1b[K`);
  try {
    if (!values.recipe) {
      const profile = await profileFolder(folder, {
        reference: modelReference(model),
        referenceName: model.card.id,
        ...(progress ? { onPhoto: progress } : {}),
      });
      if (progress) process.stderr.write('\n');
      console.log(
        values.json
          ? JSON.stringify(profile, null, 2)
          : profile.cameras.map(describeCamera).join('\n\n') || `No photos measured in ${folder}`,
      );
      for (const s of profile.skipped) console.error(`skipped ${s.file}: ${s.reason}`);
      return profile.cameras.length ? 0 : 1;
    }
    const result = await profileAndFit(folder, {
      model,
      ...(values.camera ? { camera: values.camera } : {}),
      ...(progress ? { onPhoto: progress } : {}),
    });
    if (progress) process.stderr.write('\n');
    const file = recipeFile(result.camera, result.fit);
    await writeFile(path.resolve(values.recipe), JSON.stringify(file, null, 2) + '\n');
    if (values.json)
      console.log(JSON.stringify({ profile: result.profile, recipe: file, seconds: result.seconds }, null, 2));
    else {
      const d = result.fit.distance;
      console.log(describeCamera(result.camera));
      console.log(
        `fitted: shot ${file.noise.shot.toExponential(2)}, read ${file.noise.read.toExponential(2)}, smoothing luma ${file.noise.lumaSmoothing.toFixed(2)} px, chroma ${file.noise.chromaSmoothing.toFixed(2)} px; ` +
          `distance ${d.total.toFixed(3)} (curve ${d.curve.toFixed(3)}, correlation ${d.correlation.toFixed(3)}, chroma/luma ${d.chromaToLuma.toFixed(3)}); written to ${values.recipe}`,
      );
      const gains = file.noise.levelGains;
      const { before, after } = result.fit.levelCurve;
      console.log(
        gains
          ? `level gains by brightness (dark → bright): ${gains.map((g) => g.toFixed(2)).join(' ')}; level-curve distance ${before.toFixed(3)} → ${after.toFixed(3)}`
          : `level gains: none (the pipeline's curve was already the nearest, distance ${before.toFixed(3)})`,
      );
    }
    return 0;
  } finally {
    await model.runtime.dispose();
  }
}
