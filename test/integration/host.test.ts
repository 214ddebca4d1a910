// The browser host over real sockets: token on every request, origin on the socket, the contract
// over WebSocket, and /image confined to opened folders.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHost, type RunningHost } from '../../src-main/host/server.js';
import { writeGreyPhotos } from '../helpers/samples.js';

let root: string;
let photos: string;
let host: RunningHost;
let origin: string;

function openSocket(url: string, headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolvePromise) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolvePromise(socket));
    socket.once('unexpected-response', (_request, response) => resolvePromise(response.statusCode ?? 0));
    socket.once('error', () => resolvePromise(-1));
  });
}

function call(
  socket: WebSocket,
  id: number,
  channel: string,
  request: unknown,
): Promise<{ id: number; result: { ok: boolean; value?: unknown; error?: { code: string } } }> {
  return new Promise((resolvePromise) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const message = JSON.parse(data.toString());
      if (message.id === id) {
        socket.off('message', onMessage);
        resolvePromise(message);
      }
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ id, channel, request }));
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'clearframe-host-'));
  const rendererDir = join(root, 'renderer');
  photos = join(root, 'photos');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await mkdir(photos);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Clearframe</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(root, 'secret.png'), 'not for the renderer');
  await writeGreyPhotos(photos, ['01']);
  await symlink(join(root, 'secret.png'), join(photos, 'link.png'));
  host = await startHost({ port: 0, dataDir: join(root, 'data'), rendererDir });
  origin = `http://127.0.0.1:${host.port}`;
});

afterAll(async () => {
  await host.close();
  await rm(root, { recursive: true, force: true });
});

describe('HTTP', () => {
  it('refuses requests without a valid token with 401', async () => {
    expect((await fetch(`${origin}/`)).status).toBe(401);
    expect((await fetch(`${origin}/?token=wrong`)).status).toBe(401);
    expect((await fetch(`${origin}/assets/app.js`)).status).toBe(401);
    expect((await fetch(`${origin}/image?path=${encodeURIComponent(join(photos, '01.png'))}`)).status).toBe(401);
  });

  it('serves the page with the token, sets the cookie and security headers', async () => {
    const response = await fetch(host.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Clearframe</title>');
    expect(response.headers.get('set-cookie')).toMatch(
      new RegExp(`^clearframe_token_${host.port}=${host.token}; HttpOnly; SameSite=Strict`),
    );
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('accepts the cookie instead of the query token', async () => {
    const cookie = `clearframe_token_${host.port}=${host.token}`;
    const response = await fetch(`${origin}/assets/app.js`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(
      (await fetch(`${origin}/assets/app.js`, { headers: { cookie: `clearframe_token_1=${host.token}` } })).status,
    ).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolvePromise) => {
      request(
        { host: '127.0.0.1', port: host.port, path: `/?token=${host.token}`, headers: { host: 'evil.example' } },
        (res) => {
          res.resume();
          resolvePromise(res.statusCode ?? 0);
        },
      ).end();
    });
    expect(status).toBe(403);
  });

  it('does not serve files outside the renderer folder', async () => {
    for (const path of ['/..%2Fsecret.png', '/%2e%2e/secret.png', '/assets/..%2F..%2Fsecret.png']) {
      expect((await fetch(`${origin}${path}${path.includes('?') ? '&' : '?'}token=${host.token}`)).status).toBe(404);
    }
  });
});

describe('WebSocket', () => {
  it('refuses the upgrade without a token (401) or from another origin (403)', async () => {
    expect(await openSocket(`ws://127.0.0.1:${host.port}/ws`, { origin })).toBe(401);
    expect(
      await openSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { origin: 'http://evil.example' }),
    ).toBe(403);
    expect(await openSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, {})).toBe(403);
  });

  it('speaks the contract, and /image then serves only files under the opened folder', async () => {
    const upgradeCookie = new Promise<string | undefined>((resolvePromise) => {
      const probe = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { headers: { origin } });
      let cookie = '';
      probe.once('upgrade', (response) => {
        cookie = String(response.headers['set-cookie'] ?? '');
      });
      probe.once('open', () => {
        probe.close();
        resolvePromise(cookie);
      });
    });
    expect(await upgradeCookie).toMatch(new RegExp(`^clearframe_token_${host.port}=${host.token}; HttpOnly`));
    const socket = await openSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { origin });
    if (!(socket instanceof WebSocket)) throw new Error(`socket refused: ${socket}`);
    const unknown = await call(socket, 1, 'nope:nothing', {});
    expect(unknown.result.error?.code).toBe('unknown-channel');
    const image = `${origin}/image?token=${host.token}&path=${encodeURIComponent(join(photos, '01.png'))}`;
    expect((await fetch(image)).status).toBe(403); // not opened yet
    const opened = await call(socket, 2, 'library:open', { folder: photos });
    expect(opened.result.ok).toBe(true);
    const served = await fetch(image);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect((await served.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    const refused: Array<[string, number]> = [
      [join(root, 'secret.png'), 403],
      [join(photos, 'link.png'), 403], // symlink out of the folder
      [`${photos}/../secret.png`, 403],
      [`${photos}/%2e%2e/secret.png`, 404], // decoded once only: a literal "%2e%2e" folder, which does not exist
      ['photos/01.png', 403],
    ];
    for (const [path, status] of refused) {
      const response = await fetch(`${origin}/image?token=${host.token}&path=${encodeURIComponent(path)}`);
      expect(response.status, path).toBe(status);
    }
    socket.close();
  });

  it('answers a malformed message with invalid-request instead of dropping the socket', async () => {
    const socket = await openSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { origin });
    if (!(socket instanceof WebSocket)) throw new Error(`socket refused: ${socket}`);
    const reply = await new Promise<string>((resolvePromise) => {
      socket.once('message', (data) => resolvePromise(data.toString()));
      socket.send('{not json');
    });
    expect(JSON.parse(reply)).toMatchObject({ id: null, result: { ok: false, error: { code: 'invalid-request' } } });
    socket.close();
  });
});
