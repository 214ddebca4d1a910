// `clearframe eval`: PSNR/SSIM of a model on a folder of clean images with seeded Gaussian noise,
// per image and on average, beside the noisy baseline.
import { EVAL_SEED, evaluateModel } from '../engine/infer/evaluate-model.js';
import { runtimeLabel } from '../engine/infer/runtime.js';
import { defaultRegistryDirs } from '../settings/model-dirs.js';
import { ModelRegistry, modelRefFromArg } from '../engine/models/registry.js';
import { expandImageArgs } from '../engine/io/image-args.js';
import { parseCommand, UsageError } from './command.js';

export const EVAL_USAGE =
  'clearframe eval --model ID|PATH --clean DIR [--sigma 25] [--seed 0] [--limit N] [--tile N] [--json]';

export async function evalCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, EVAL_USAGE, {
    options: {
      model: { type: 'string' },
      clean: { type: 'string' },
      sigma: { type: 'string' },
      seed: { type: 'string' },
      limit: { type: 'string' },
      tile: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (!parsed) return 0;
  const { values } = parsed;
  if (!values.model || !values.clean) throw new UsageError('--model and --clean are required');
  const sigma = Number(values.sigma ?? 25);
  const seed = values.seed === undefined ? EVAL_SEED : Number(values.seed);
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  const tile = values.tile === undefined ? undefined : Number(values.tile);
  if (![sigma, seed, limit].every((n) => Number.isFinite(n) || n === Infinity) || sigma < 0 || limit < 1)
    throw new UsageError('--sigma, --seed and --limit must be numbers (limit ≥ 1)');
  const { files, missing } = await expandImageArgs([values.clean]);
  if (missing.length || files.length === 0) throw new UsageError(`No images in ${values.clean}`);
  const registry = new ModelRegistry(defaultRegistryDirs());
  const model = await registry.open(await registry.resolve(modelRefFromArg(values.model), 1));
  const json = values.json === true;
  if (!json)
    console.log(
      `model ${model.card.id} on ${runtimeLabel(model.runtime)}, σ ${sigma}, seed ${seed}\nimage                 noisy PSNR/SSIM     denoised PSNR/SSIM`,
    );
  const summary = await evaluateModel(model, files.slice(0, limit), {
    sigma,
    seed,
    ...(tile ? { tileSize: tile } : {}),
    onImage: (s) => {
      if (json) console.log(JSON.stringify({ event: 'image', ...s }));
      else
        console.log(
          `${s.file.padEnd(20)}  ${s.noisyPsnr.toFixed(2)} / ${s.noisySsim.toFixed(4)}    ${s.psnr.toFixed(2)} / ${s.ssim.toFixed(4)}`,
        );
    },
  });
  await model.runtime.dispose();
  const { images: _images, ...mean } = summary;
  if (json)
    console.log(
      JSON.stringify({ event: 'summary', model: model.card.id, runtime: runtimeLabel(model.runtime), ...mean }),
    );
  else
    console.log(
      `${'mean'.padEnd(20)}  ${summary.noisyPsnr.toFixed(2)} / ${summary.noisySsim.toFixed(4)}    ${summary.psnr.toFixed(2)} / ${summary.ssim.toFixed(4)}   (${summary.msPerMegapixel.toFixed(0)} ms/MP)`,
    );
  return 0;
}
