// clearframe-image://image/?path=<absolute path>: original images for the renderer, only from
// folders the user opened (the same AllowedFolders policy as the browser host's /image route).
// The decision is pure Node so it is tested without Electron; protocol.ts turns it into a Response.
import type { AllowedFolders } from '../access/allowed-folders.js';
import { imageMimeType } from '../engine/contract/image-files.js';
import { ClearframeError } from '../../src-shared/contract-core.js';

export type ImageDecision =
  { status: 200; path: string; mime: string } | { status: 400 | 403 | 404 | 500; message: string };

export async function decideImageRequest(url: string, access: AllowedFolders): Promise<ImageDecision> {
  let path: string | null;
  try {
    path = new URL(url).searchParams.get('path');
  } catch {
    return { status: 400, message: 'Malformed image URL.' };
  }
  if (!path) return { status: 400, message: 'The path parameter is missing.' };
  try {
    const real = await access.check(path);
    const mime = imageMimeType(real);
    if (mime === undefined) return { status: 403, message: `${path} is not an image file.` };
    return { status: 200, path: real, mime };
  } catch (error) {
    if (error instanceof ClearframeError) {
      return {
        status: error.code === 'not-found' ? 404 : error.code === 'forbidden' ? 403 : 500,
        message: error.message,
      };
    }
    return { status: 500, message: `${path} could not be read.` };
  }
}
