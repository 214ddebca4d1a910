// One photo, start to finish: decode, denoise tile by tile, write the copy beside it.
import { access, constants } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EngineError } from '../contract/engine-error.js';
import { AllowedFolders } from '../../access/allowed-folders.js';
import type { DenoiseJob } from '../contract/denoise-job.js';
import { denoiseTiled } from '../infer/denoise-tiled.js';
import { runtimeLabel } from '../infer/runtime.js';
import { decodeImage, probeImage } from '../io/decode.js';
import { exifLeftBehind, writeDenoisedImage } from '../io/encode.js';
import { existingDenoisedCopy, outputFormatFor, outputPathFor } from '../io/output-naming.js';
import { colourChannels } from '../io/pixels.js';
import type { DenoiseFileOutcome } from '../contract/protocol.js';
import type { ModelCache } from './model-cache.js';
import { defaultsForPhoto } from './photo-model.js';

/** How this one run is watched: cancelled through `signal`, tile progress to `onTiles`. */
export interface DenoiseFileRun {
  signal?: AbortSignal;
  onTiles?: (done: number, total: number) => void;
  /** The output's final path, announced just before the finished file is moved there. */
  onOutput?: (path: string) => void;
}

/** Fails fast when the output folder (or, while it does not exist yet, its nearest parent) cannot be written. */
async function assertWritableFolder(dir: string): Promise<void> {
  for (let folder = dir; ; folder = dirname(folder)) {
    try {
      await access(folder, constants.W_OK);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && dirname(folder) !== folder) continue;
      const why =
        code === 'EROFS'
          ? 'it is on a read-only disk'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : (code ?? 'unknown error');
      throw new EngineError(
        'io',
        `The output folder ${dir} cannot be written (${why}); choose another output folder.`,
        dir,
      );
    }
  }
}

/**
 * The real folder `dir` stands for, refused when it leads outside `roots`: a `denoised/` that is a
 * symbolic link to elsewhere must not receive outputs, nor have temp files cleaned up in it.
 */
async function confinedOutputFolder(dir: string, roots: readonly string[] | undefined): Promise<string> {
  if (roots === undefined) return dir;
  const access = new AllowedFolders();
  for (const root of roots) await access.allow(root).catch(() => undefined); // a folder gone since: allows nothing
  try {
    return await access.checkNew(dir);
  } catch {
    throw new EngineError(
      'forbidden',
      `The output folder ${dir} leads outside the folders you opened (a symbolic link?); nothing was written there.`,
      dir,
    );
  }
}

export async function denoiseFile(
  path: string,
  models: ModelCache,
  job: DenoiseJob,
  run: DenoiseFileRun = {},
): Promise<DenoiseFileOutcome> {
  const naming = {
    ...(job.outputPattern ? { pattern: job.outputPattern } : {}),
    ...(job.outDir ? { outDir: job.outDir } : {}),
  };
  // Before any pixel work: a read-only output folder should not cost a full denoise per photo.
  const plannedOutput = outputPathFor(path, {
    format: job.outputFormat ?? 'png',
    modelId: job.modelId ?? 'default',
    ...naming,
  });
  await assertWritableFolder(await confinedOutputFolder(dirname(plannedOutput), job.allowedOutputRoots));
  if (job.ifCopyExists === 'skip') {
    // Decided from the header and the model's id, before any pixel is decoded: re-running a batch of
    // 500 photos that are done costs 500 header reads.
    const header = await probeImage(path, job.pixelLimit);
    const { model } = await models.get(
      job.modelId,
      header.grey ? 1 : 3,
      defaultsForPhoto(job, header.camera),
      job.engine,
    );
    const format = job.outputFormat ?? outputFormatFor(header.format, header.compression);
    const existing = await existingDenoisedCopy(path, { format, modelId: model.card.id, ...naming });
    if (existing)
      return {
        outputPath: existing,
        pixels: header.width * header.height,
        skipped: true,
        modelId: model.card.id,
        runtime: runtimeLabel(model.runtime),
      };
  }
  const { info, pixels } = await decodeImage(path, job.pixelLimit);
  const { model, warning } = await models.get(
    job.modelId,
    colourChannels(pixels.channels) === 1 ? 1 : 3,
    defaultsForPhoto(job, info.camera),
    job.engine,
  );
  const denoised = await denoiseTiled(pixels, model, {
    ...job,
    ...(run.signal ? { signal: run.signal } : {}),
    ...(run.onTiles ? { onTile: run.onTiles } : {}),
  });
  const format = job.outputFormat ?? outputFormatFor(info.format, info.compression);
  const target = outputPathFor(path, { format, modelId: model.card.id, ...naming });
  // Checked again on the final name ({model} in the pattern may name another folder), and written
  // through the real folder so that a link swapped in meanwhile is not followed.
  const realTarget = join(await confinedOutputFolder(dirname(target), job.allowedOutputRoots), basename(target));
  const encoding = {
    format,
    ...(job.jpegQuality ? { jpegQuality: job.jpegQuality } : {}),
    ...(job.keepMetadata === undefined ? {} : { keepMetadata: job.keepMetadata }),
  };
  const outputPath = await writeDenoisedImage(denoised, info, realTarget, encoding, run.onOutput);
  const result = {
    outputPath,
    pixels: info.width * info.height,
    modelId: model.card.id,
    runtime: runtimeLabel(model.runtime),
  };
  const exifWarning = exifLeftBehind(denoised, info, encoding);
  const warnings = [...(warning ? [warning] : []), ...info.warnings, ...(exifWarning ? [exifWarning] : [])];
  return warnings.length ? { ...result, warning: warnings.join(' ') } : result;
}
