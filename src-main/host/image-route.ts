// GET /image?path=<absolute path>: the original bytes of an image, only from the folders the user
// opened (the same AllowedFolders policy as every channel). The compare view shows originals
// through this route; thumbnails come over the socket.
import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { AllowedFolders } from '../access/allowed-folders.js';
import { imageMimeType } from '../engine/contract/image-files.js';
import { ClearframeError } from '../../src-shared/contract-core.js';

const STATUS: Partial<Record<ClearframeError['code'], number>> = { forbidden: 403, 'not-found': 404 };

export async function serveImage(access: AllowedFolders, url: URL, response: ServerResponse): Promise<void> {
  const path = url.searchParams.get('path');
  if (!path) {
    response.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The path parameter is missing.');
    return;
  }
  let real: string;
  try {
    real = await access.check(path);
  } catch (error) {
    const status = error instanceof ClearframeError ? (STATUS[error.code] ?? 500) : 500;
    const message = error instanceof Error ? error.message : 'The image could not be read.';
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(message);
    return;
  }
  const mime = imageMimeType(real);
  if (mime === undefined) {
    response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${path} is not an image file.`);
    return;
  }
  const stream = createReadStream(real);
  stream.once('open', () => {
    response.writeHead(200, { 'Content-Type': mime, 'Cache-Control': 'no-cache' });
    stream.pipe(response);
  });
  stream.once('error', (error) => {
    if (!response.headersSent) response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(`${path} could not be read: ${error.message}`);
  });
}
