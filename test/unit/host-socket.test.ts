// The browser host's socket (src-main/host/socket.ts) over a real ws server on loopback: a reply that
// JSON cannot write is answered as an error for its id, and the socket goes on answering. Before,
// the listener was async and the failed send a promise nobody heard: an unhandled rejection, which
// ends a Node process (the host) and fails this test.
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { Handlers } from '../../src-main/api/dispatch.js';
import { serveContract, type ServerAnswer } from '../../src-main/host/socket.js';

let server: WebSocketServer;
let client: WebSocket;

// Two channels whose requests are empty: one answers a value JSON cannot write (a BigInt), one a good one.
const handlers = {
  'app:info': async () => ({ version: 1n }),
  'settings:get': async () => ({ theme: 'dark' }),
} as unknown as Handlers;

beforeEach(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket) => serveContract(socket, handlers, { emit: () => {} }));
  await new Promise((resolve) => server.once('listening', resolve));
  client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
});

afterEach(async () => {
  client.close();
  await new Promise((resolve) => server.close(resolve));
  vi.restoreAllMocks();
});

function ask(id: number, channel: string): Promise<ServerAnswer> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const answer = JSON.parse(data.toString()) as ServerAnswer;
      if (answer.id !== id) return;
      client.off('message', onMessage);
      resolve(answer);
    };
    client.on('message', onMessage);
    client.send(JSON.stringify({ id, channel, request: {} }));
  });
}

it('answers a reply it cannot write as JSON with an internal error for its id, then goes on answering', async () => {
  const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
  const broken = await ask(1, 'app:info');
  expect(broken.result).toMatchObject({
    ok: false,
    error: { code: 'internal', message: expect.stringMatching(/could not send its answer.*BigInt/i) },
  });
  expect(logged).toHaveBeenCalledOnce();
  expect(await ask(2, 'settings:get')).toEqual({ id: 2, result: { ok: true, value: { theme: 'dark' } } });
});
