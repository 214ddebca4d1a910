// Asks the engine to denoise one region of a photo (denoise:preview) — one tile of the Compare view —
// or the whole photo reduced (its overview), and decodes both PNGs it answers into pixels the Compare view blends by strength on the client.
import type { Result } from '../../src-shared/contract.js';
import type { NoiseLevel } from '../../src-shared/schemas/denoise.js';
import { invoke } from './api.js';
import type { Rect } from './viewport.js';

export interface PreviewAnswer {
  region: Rect;
  original: ImageData;
  denoised: ImageData;
  modelId: string;
  modelName: string;
  runtime: string;
  milliseconds: number;
  /** The level the model was given (the measured one on Auto); absent for models without a level input. */
  noiseLevel?: number;
  /** Why another model ran than the one asked for (or the default set in Settings). */
  warning?: string;
}

async function decodePng(base64: string, width: number, height: number): Promise<ImageData> {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('This browser cannot draw on a canvas.');
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return context.getImageData(0, 0, width, height);
}

/** One region at full size, or the whole photo reduced to a long side of `maxSide`. */
export type PreviewView = { region: Rect } | { maxSide: number };

/**
 * The engine denoises a region with real context around it (no seams between neighbouring
 * regions), or the whole photo reduced, at the noise level of the reduced photo.
 */
export async function fetchPreview(
  path: string,
  view: PreviewView,
  modelId: string,
  noiseLevel: NoiseLevel | undefined,
): Promise<Result<PreviewAnswer>> {
  const result = await invoke('denoise:preview', {
    path,
    modelId: modelId || undefined,
    strength: 1,
    ...view,
    ...(noiseLevel === undefined ? {} : { noiseLevel }),
  });
  if (!result.ok) return result;
  const v = result.value;
  try {
    const [original, denoised] = await Promise.all([
      decodePng(v.originalPng, v.width, v.height),
      decodePng(v.denoisedPng, v.width, v.height),
    ]);
    return {
      ok: true,
      value: {
        region: v.region,
        original,
        denoised,
        modelId: v.modelId,
        modelName: v.modelName,
        runtime: v.runtime,
        milliseconds: v.milliseconds,
        ...(v.noiseLevel !== undefined && { noiseLevel: v.noiseLevel }),
        ...(v.warning ? { warning: v.warning } : {}),
      },
    };
  } catch (error) {
    return {
      ok: false,
      error: {
        code: 'internal',
        message: `The preview could not be decoded: ${error instanceof Error ? error.message : String(error)}`,
      },
    };
  }
}
