// Where the renderer loads an original image from at full resolution. The browser host serves
// GET /image?path=… (same origin, authenticated by the session cookie); Electron serves the same
// through its image protocol. The pixels the strength blend needs come with denoise:preview.
import { api } from './api.js';

export const ELECTRON_IMAGE_PROTOCOL = 'clearframe-image';

export function originalImageUrl(path: string): string {
  const query = `path=${encodeURIComponent(path)}`;
  return api.host === 'electron' ? `${ELECTRON_IMAGE_PROTOCOL}://image/?${query}` : `./image?${query}`;
}

/** Loads an image element and resolves once it is decoded (or rejects with a sentence). */
export function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.decoding = 'async';
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('The photo could not be displayed (this browser cannot decode its format).'));
    img.src = src;
  });
}
