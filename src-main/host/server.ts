// The browser host: the renderer and the contract over loopback HTTP, for machines without
// Electron's binary and for Playwright.
//
// Handshake (the renderer client in src-renderer/lib/api.ts relies on this):
//   1. The host prints http://127.0.0.1:PORT/?token=T. T is 32 random bytes (base64url), new each run.
//   2. Every HTTP request must carry T, as `?token=T` or as the cookie `clearframe_token_PORT`
//      (the port is in the name because cookies on 127.0.0.1 are shared across ports). A request
//      with a valid ?token= gets that cookie back (HttpOnly, SameSite=Strict), so the page's own
//      assets and later /image requests authenticate by cookie. No token → 401.
//   3. The WebSocket lives at /ws. The upgrade needs T (?token=T, or the cookie, which the browser
//      sends with same-origin sockets) and an Origin of this host (http://127.0.0.1:PORT or
//      http://localhost:PORT, plus Vite's origin under `npm run dev`), else 401 / 403.
//      The client can therefore open `ws://<location.host>/ws` + the page's own ?token=. An upgrade
//      authenticated by ?token= also answers the cookie (for pages served by Vite in development).
//   4. Protocol on the socket: see socket.ts ({id, channel, request} → {id, result}; {event, payload}).
//   5. Original images: GET /image?path=<absolute path> (cookie or token), only under opened folders.
// Every response carries a strict CSP, nosniff and no-referrer. The Host header must name
// 127.0.0.1/localhost on our port (DNS rebinding), else 403.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { createHandlers } from '../api/index.js';
import type { Handlers, RequestContext } from '../api/dispatch.js';
import { contentSecurityPolicy } from '../security/csp.js';
import { createToken, HostGate, tokenCookie } from './auth.js';
import { serveImage } from './image-route.js';
import { browserServices } from './services.js';
import { broadcaster, serveContract } from './socket.js';
import { readStaticFile } from '../static/static-files.js';

/** Big enough for any request in the contract, small enough that a hostile client cannot hog memory. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface HostOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  dataDir: string;
  /** Vite's output folder (dist/renderer). */
  rendererDir: string;
  /** Origins besides our own whose pages may open the socket (Vite's dev server). */
  extraOrigins?: readonly string[];
}

export interface RunningHost {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy({ connect: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] }),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const services = browserServices(options.dataDir);
  const handlers: Handlers = createHandlers(services);
  const token = createToken();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const context: RequestContext = { emit: broadcaster(sockets) };
  let gate: HostGate | undefined;

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void handleHttp(request, response).catch((error: unknown) => {
      console.error('[host] request failed:', error);
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Internal error.');
    });
  });

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!gate) throw new Error('request before listen');
    for (const [name, value] of Object.entries(securityHeaders(gate.port))) response.setHeader(name, value);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (!gate.hostAllowed(request.headers.host)) {
      response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Unknown host.');
      return;
    }
    const source = gate.authenticate({ url, cookieHeader: request.headers.cookie, hostHeader: request.headers.host });
    if (source === undefined) {
      response
        .writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end('Clearframe needs its link with the token: copy it from the terminal where Clearframe started.');
      return;
    }
    if (source === 'query') response.setHeader('Set-Cookie', tokenCookie(gate.port, token));
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/image') return serveImage(services.access, url, response);
    if (url.pathname === '/ws') {
      response.writeHead(426, { Upgrade: 'websocket' }).end();
      return;
    }
    const file = await readStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found.');
      return;
    }
    const isPage = file.contentType.startsWith('text/html');
    response.writeHead(200, { 'Content-Type': file.contentType, 'Cache-Control': isPage ? 'no-store' : 'no-cache' });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  // The upgrade answer also sets the cookie when the token came in the query: under `npm run dev`
  // the page comes from Vite, so this is how its later /image requests (proxied here) authenticate.
  sockets.on('headers', (headers: string[], request: IncomingMessage) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const source = gate?.authenticate({ url, cookieHeader: request.headers.cookie, hostHeader: request.headers.host });
    if (gate && source === 'query') headers.push(`Set-Cookie: ${tokenCookie(gate.port, token)}`);
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!gate) return refuseUpgrade(socket, 403, 'Forbidden');
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/ws') return refuseUpgrade(socket, 404, 'Not Found');
    if (
      gate.authenticate({ url, cookieHeader: request.headers.cookie, hostHeader: request.headers.host }) === undefined
    ) {
      return refuseUpgrade(socket, 401, 'Unauthorized');
    }
    if (!gate.originAllowed(request.headers.origin)) return refuseUpgrade(socket, 403, 'Forbidden');
    sockets.handleUpgrade(request, socket, head, (ws) => serveContract(ws, handlers, context));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  gate = new HostGate(token, port, options.extraOrigins);

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.engine?.client.dispose();
    },
  };
}
