// Our two privileged schemes. clearframe://app/ serves the built renderer (so the page has a real,
// checkable origin instead of file://), clearframe-image:// serves originals from opened folders.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { protocol, type Session } from 'electron';
import type { AllowedFolders } from '../access/allowed-folders.js';
import { readStaticFile } from '../static/static-files.js';
import { decideImageRequest } from './image-protocol.js';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, IMAGE_SCHEME } from './trust.js';

/** Must run before the app is ready. */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    // corsEnabled + an ACAO header keep canvases that draw originals readable (strength blending).
    {
      scheme: IMAGE_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true },
    },
  ]);
}

function text(status: number, message: string): Response {
  return new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

export function handleProtocols(session: Session, rendererDir: string, access: AllowedFolders, csp: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return text(404, 'Not found.');
    const file = await readStaticFile(rendererDir, url.pathname);
    if (!file) return text(404, 'Not found.');
    return new Response(new Uint8Array(file.body), {
      headers: {
        'Content-Type': file.contentType,
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
  session.protocol.handle(IMAGE_SCHEME, async (request) => {
    const decision = await decideImageRequest(request.url, access);
    if (decision.status !== 200) return text(decision.status, decision.message);
    const body = Readable.toWeb(createReadStream(decision.path)) as ReadableStream<Uint8Array>;
    return new Response(body, {
      headers: {
        'Content-Type': decision.mime,
        'Access-Control-Allow-Origin': APP_ORIGIN,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}
