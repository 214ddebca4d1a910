// Asks the engine to denoise one region of a photo (denoise:preview) and decodes the answer
// into pixels the Compare view can blend.
import type { Result } from '../../src-shared/contract.js';
import { api } from './api.js';
import type { Rect } from './viewport.js';

export interface PreviewAnswer {
  region: Rect;
  pixels: ImageData;
  modelId: string;
  modelName: string;
  milliseconds: number;
  psnr?: number;
  ssim?: number;
}

export async function fetchPreview(_path: string, _region: Rect, _modelId: string): Promise<Result<PreviewAnswer>> {
  if (!api.has('denoise:preview')) {
    return { ok: false, error: { code: 'unsupported', message: 'This build has no live preview yet (denoise:preview is missing).' } };
  }
  return { ok: false, error: { code: 'unsupported', message: 'Live preview is being wired in.' } };
}
