// `clearframe denoise <files or folders…>`: the same engine process and job queue as the app.
// Exit codes: 0 every file succeeded, 1 some failed, 2 bad usage.
import { basename, resolve } from 'node:path';
import { describeZodError } from '../../src-shared/contract-core.js';
import type { z } from 'zod';
import { DEFAULT_STRENGTH } from '../../src-shared/denoise-defaults.js';
import {
  DenoiseStartRequest,
  JpegQuality,
  NoiseLevelValue,
  OutputFormat,
  Strength,
  TileSize,
  type DenoiseQuality,
  type NoiseLevel,
} from '../../src-shared/schemas/denoise.js';
import type { DenoiseJob } from '../engine/contract/denoise-job.js';
import { EngineError } from '../engine/contract/engine-error.js';
import { JobQueue, type JobEvents } from '../engine-client/job-queue.js';
import { defaultRegistryDirs } from '../settings/model-dirs.js';
import { ModelRegistry, modelRefFromArg } from '../engine/models/registry.js';
import { EngineClient } from '../engine-client/engine-client.js';
import { expandImageArgs } from '../engine/io/image-args.js';
import { formatDuration, progressBar, ProgressLine } from './progress-line.js';
import { parseCommand, UsageError } from './command.js';

/** `schema`'s bounds as the help text writes them ("0..1"). */
function range(schema: z.ZodNumber): string {
  return `${schema.minValue}..${schema.maxValue}`;
}

export const DENOISE_USAGE = `clearframe denoise <files or folders…> [--out DIR] [--model ID|PATH] [--strength ${range(Strength)}]
  [--noise-level auto|N] [--quality normal|max] [--tile ${range(TileSize)}] [--format ${OutputFormat.options.join('|')}]
  [--jpeg-quality ${range(JpegQuality)}] [--strip-metadata] [--json]
Writes denoised copies to a denoised/ folder beside each photo (or to --out DIR); never overwrites.
--noise-level: the noise level (${NoiseLevelValue.minValue}–${NoiseLevelValue.maxValue}, RMS on the 0–255 scale) given to noise-level models; auto
measures each photo. --quality max averages 8 flipped/rotated runs (a little better, 8× slower);
--quality N (a number) is kept as the old spelling of --jpeg-quality.
--strip-metadata leaves EXIF and XMP (GPS, names, serial numbers) out of the copies; colour profiles stay.`;

/** A number within `schema`'s bounds (the request's own schema then checks the rest, such as whole numbers). */
function numberOption(value: string | undefined, name: string, schema: z.ZodNumber): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const [min, max] = [schema.minValue ?? -Infinity, schema.maxValue ?? Infinity];
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a number from ${min} to ${max} (got "${value}")`);
  return n;
}

/** `--noise-level auto|N`. */
export function noiseLevelOption(value: string): NoiseLevel {
  return value === 'auto' ? 'auto' : numberOption(value, 'noise-level', NoiseLevelValue)!;
}

/** `--quality normal|max` is the denoise quality; a number there is the JPEG quality (its old meaning). */
function jpegAndDenoiseQuality(
  quality: string | undefined,
  jpeg: string | undefined,
): { quality?: DenoiseQuality; jpegQuality?: number } {
  const out: { quality?: DenoiseQuality; jpegQuality?: number } = {};
  if (quality === 'normal' || quality === 'max') out.quality = quality;
  else if (quality !== undefined) out.jpegQuality = numberOption(quality, 'quality', JpegQuality)!;
  if (jpeg !== undefined) out.jpegQuality = numberOption(jpeg, 'jpeg-quality', JpegQuality)!;
  return out;
}

export async function denoiseCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, DENOISE_USAGE, {
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      model: { type: 'string' },
      strength: { type: 'string' },
      tile: { type: 'string' },
      format: { type: 'string' },
      quality: { type: 'string' },
      'jpeg-quality': { type: 'string' },
      'noise-level': { type: 'string' },
      'strip-metadata': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError('Give at least one photo or folder.');
  const { files, missing } = await expandImageArgs(positionals);
  if (missing.length) throw new UsageError(`Not found: ${missing.join(', ')}`);
  if (files.length === 0) throw new UsageError('No images in the given folders.');
  const request = DenoiseStartRequest.safeParse({
    files,
    strength: numberOption(values.strength, 'strength', Strength) ?? DEFAULT_STRENGTH,
    ...(values.tile && { tileSize: numberOption(values.tile, 'tile', TileSize) }),
    ...(values.format && { outputFormat: values.format }),
    ...jpegAndDenoiseQuality(values.quality, values['jpeg-quality']),
    ...(values['noise-level'] && { noiseLevel: noiseLevelOption(values['noise-level']) }),
    ...(values.model && { modelId: modelRefFromArg(values.model) }),
  });
  if (!request.success) throw new UsageError(describeZodError(request.error));

  const dirs = defaultRegistryDirs();
  if (values.model) {
    // A model the user named must exist; a broken one is reported per file (with the fallback).
    try {
      await new ModelRegistry(dirs).resolve(request.data.modelId, 1);
    } catch (error) {
      if (error instanceof EngineError && error.code === 'not-found') throw new UsageError(error.message);
    }
  }
  // The CLI has no settings: what the user did not pass is left to the engine's defaults.
  const { files: requested, outputFormat, ...choices } = request.data;
  const job: DenoiseJob = {
    ...choices,
    strength: choices.strength ?? DEFAULT_STRENGTH, // always given above
    ...(outputFormat === undefined || outputFormat === 'same' ? {} : { outputFormat }),
    ...(values.out ? { outDir: resolve(values.out) } : {}),
    ...(values['strip-metadata'] ? { keepMetadata: false } : {}),
  };
  const client = new EngineClient(dirs);
  const queue = new JobQueue(client);
  const line = new ProgressLine();
  const json = values.json === true;
  let done!: (summary: JobEvents['job:done']) => void;
  const finished = new Promise<JobEvents['job:done']>((r) => (done = r));
  const failures: Array<{ path: string; message: string }> = [];
  let runtimeShown = false;
  queue.start(requested, job, (...[event, payload]) => {
    if (json) console.log(JSON.stringify({ event, ...payload }));
    if (event === 'job:progress') {
      const tiles = payload.tileCount ? `  tiles ${payload.tileDone}/${payload.tileCount}` : '';
      const eta = payload.etaSeconds === undefined ? '' : `  ETA ${formatDuration(payload.etaSeconds)}`;
      line.update(
        `${progressBar(payload.fraction)} ${payload.fileIndex + 1}/${payload.fileCount} ${basename(payload.path)}${tiles}  ${payload.megapixelsPerSecond.toFixed(2)} MP/s${eta}`,
      );
    } else if (event === 'job:file-done') {
      if (payload.error) failures.push({ path: payload.path, message: payload.error.message });
      if (json) return;
      line.clear();
      if (!runtimeShown && payload.runtime) {
        console.error(`model ${payload.modelId} on ${payload.runtime}`);
        runtimeShown = true;
      }
      if (payload.warning) console.error(`warning: ${payload.warning}`);
      console.log(
        payload.error
          ? `FAILED ${payload.path}: ${payload.error.message}`
          : payload.skipped
            ? `${payload.path}: skipped, already denoised as ${payload.outputPath}`
            : `${payload.path} → ${payload.outputPath} (${payload.seconds.toFixed(1)} s)`,
      );
    } else if (event === 'job:done') {
      done(payload);
    }
  });
  const summary = await finished;
  await client.dispose();
  line.clear();
  if (!json) {
    console.log(
      `${summary.succeeded} denoised, ${summary.failed} failed${summary.cancelled ? `, ${summary.cancelled} cancelled` : ''}.`,
    );
    for (const f of failures) console.log(`  ${f.path}: ${f.message}`);
  }
  return summary.failed + summary.cancelled > 0 ? 1 : 0;
}
