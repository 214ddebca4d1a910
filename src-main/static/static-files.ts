// Serves the built renderer (Vite's dist/renderer) for both shells: the browser host's HTTP server
// and Electron's clearframe://app/ scheme. Only files inside that folder, resolved without
// following `..`; unknown paths are 404, never a directory listing.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, relative, isAbsolute } from 'node:path';

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/** The file for a URL path, or undefined (404). `/` is index.html. */
export async function readStaticFile(rendererDir: string, urlPath: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.split(/[\\/]/).includes('..')) return undefined;
  const relativePath = decoded === '/' || decoded === '' ? 'index.html' : normalize(decoded).replace(/^[\\/]+/, '');
  const file = join(rendererDir, relativePath);
  const rel = relative(rendererDir, file);
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  return {
    body: await readFile(file),
    contentType: MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
  };
}
