// Where the renderer loads an original image from at full resolution. The browser host serves
// GET /image?path=… (same origin, authenticated by the session cookie), so canvases that draw it
// stay readable for the strength blend. Electron serves the same through its image protocol.
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

/** The pixels of part of an image, in RGBA. */
export function pixelsOf(source: CanvasImageSource, x: number, y: number, width: number, height: number): ImageData {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('This browser cannot draw on a canvas.');
  context.drawImage(source, x, y, width, height, 0, 0, width, height);
  return context.getImageData(0, 0, width, height);
}
