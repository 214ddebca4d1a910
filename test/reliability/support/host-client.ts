// A raw client for the browser host: HTTP requests with exact request lines and headers (no URL
// normalisation, so `..` reaches the server as typed) and contract calls over the WebSocket.
import { request as httpRequest } from 'node:http';
import WebSocket from 'ws';
import type { Result } from '../../../src-shared/contract-core.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export function rawGet(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method, headers: { Host: `127.0.0.1:${port}`, ...headers }, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket; answers the open socket, or the HTTP status that refused the upgrade (-1: network error). */
export function openSocket(url: string, headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers, handshakeTimeout: 10_000 });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', () => resolve(-1));
  });
}

/** Contract calls over one socket, matched by id; several may be in flight at once. */
export class SocketClient {
  #next = 1;
  readonly #pending = new Map<number, (result: Result<unknown>) => void>();
  readonly unmatched: unknown[] = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: unknown; result?: Result<unknown> };
      const resolve = typeof message.id === 'number' ? this.#pending.get(message.id) : undefined;
      if (resolve && message.result) {
        this.#pending.delete(message.id as number);
        resolve(message.result);
      } else {
        this.unmatched.push(message);
      }
    });
  }

  call(channel: string, request: unknown, timeoutMs = 30_000): Promise<Result<unknown>> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${channel} got no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      this.socket.send(JSON.stringify({ id, channel, request }));
    });
  }

  close(): void {
    this.socket.close();
  }
}
