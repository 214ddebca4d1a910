// Which files Clearframe treats as images (the library, the CLI's folder arguments, training sets:
// one list), and the MIME type each is served with (the browser host's /image route and
// Electron's clearframe-image:// protocol).
import { extname } from 'node:path';

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.jpe': 'image/jpeg',
  '.png': 'image/png',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.gif': 'image/gif',
};

export function isImageFileName(name: string): boolean {
  return extname(name).toLowerCase() in MIME_BY_EXTENSION;
}

/** The MIME type for an image file name, or undefined when it is not an image we serve. */
export function imageMimeType(name: string): string | undefined {
  return MIME_BY_EXTENSION[extname(name).toLowerCase()];
}
