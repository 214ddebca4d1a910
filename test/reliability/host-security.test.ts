// The browser host under hostile requests (issue #9, security): loopback only, the token on every
// HTTP and WebSocket request, Origin checked on upgrade, Host checked (DNS rebinding), no path
// traversal out of the opened folder or the renderer folder, CSP and nosniff on every response.
import { readFile } from 'node:fs/promises';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noisyImage } from '../../scripts/make-bad-corpus.js';
import { startHost, type RunningHost } from '../../src-main/host/server.js';
import { assertWellFormedResult, valueOf } from './support/api.js';
import { removeTempDirs, tempDir } from './support/env.js';
import { FigureRecorder } from './support/figures.js';
import { openSocket, rawGet, SocketClient, type RawResponse } from './support/host-client.js';

const figures = new FigureRecorder('host-security');
const SECRET = 'TOP-SECRET-CONTENT-7f3a';

let root: string;
let photos: string;
let host: RunningHost;
let origin: string;
let wsUrl: string;
let client: SocketClient;
let refusals = 0;

function expectSecure(response: RawResponse, what: string): void {
  const csp = String(response.headers['content-security-policy'] ?? '');
  expect(csp, `${what}: CSP`).toMatch(/default-src 'none'/);
  expect(csp, `${what}: CSP`).toMatch(/script-src 'self'(;|$)/);
  expect(csp, `${what}: CSP`).not.toMatch(/unsafe-eval/);
  expect(response.headers['x-content-type-options'], `${what}: nosniff`).toBe('nosniff');
}

function expectRefused(response: RawResponse, statuses: number[], what: string): void {
  expect(statuses, `${what} answered ${response.status}`).toContain(response.status);
  expect(response.body.toString('latin1'), what).not.toContain(SECRET);
  expectSecure(response, what);
  refusals++;
}

beforeAll(async () => {
  root = await tempDir('host');
  const rendererDir = join(root, 'renderer');
  photos = join(root, 'photos');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await mkdir(join(photos, 'sub'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Clearframe</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  // Secrets beside the photos and beside the renderer: nothing may ever serve them.
  await writeFile(join(root, 'secret.png'), SECRET);
  await writeFile(join(root, 'secret.txt'), SECRET);
  await noisyImage(32, 24, 3, 1).png().toFile(join(photos, 'ok.png'));
  await copyFile(join(photos, 'ok.png'), join(photos, 'sub', 'ok 2 ü.png'));
  await symlink(join(root, 'secret.png'), join(photos, 'escape.png'));
  await symlink(root, join(photos, 'escape-dir'));
  host = await startHost({ port: 0, dataDir: join(root, 'data'), rendererDir });
  origin = `http://127.0.0.1:${host.port}`;
  wsUrl = `ws://127.0.0.1:${host.port}/ws`;
  const socket = await openSocket(`${wsUrl}?token=${host.token}`, { Origin: origin });
  if (typeof socket === 'number') throw new Error(`the socket with a valid token was refused: ${socket}`);
  client = new SocketClient(socket);
  valueOf(await client.call('library:open', { folder: photos, recursive: true }));
});

afterAll(async () => {
  client?.close();
  await host?.close();
  figures.measure('host: hostile requests refused', refusals);
  await removeTempDirs();
});

describe('binding', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(new URL(host.url).hostname).toBe('127.0.0.1');
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && !i.internal)
      .map((i) => i!.address);
    for (const address of [...others, '::1']) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host: address, port: host.port, timeout: 3000 });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('timeout', () => {
          socket.destroy();
          resolve('timeout');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(outcome, `connecting to ${address}:${host.port}`).not.toBe('connected');
    }
    if (process.platform === 'linux') {
      // The kernel's own table: the listening socket's local address is 127.0.0.1 (0100007F).
      const table = await readFile('/proc/net/tcp', 'utf8');
      const portHex = host.port.toString(16).toUpperCase().padStart(4, '0');
      const listening = table.split('\n').filter((line) => line.includes(`:${portHex} `) && / 0A /.test(line));
      expect(listening.length).toBeGreaterThan(0);
      for (const line of listening) expect(line.trim().split(/\s+/)[1]).toBe(`0100007F:${portHex}`);
      const table6 = await readFile('/proc/net/tcp6', 'utf8').catch(() => '');
      expect(table6.split('\n').some((line) => line.includes(`:${portHex} `) && / 0A /.test(line))).toBe(false);
    }
  });
});

describe('HTTP: the token on every request', () => {
  const paths = ['/', '/index.html', '/assets/app.js', '/image?path=/etc/passwd', '/ws', '/nope'];

  it("refuses every path without a token, with a wrong token or another port's cookie (401)", async () => {
    const wrong = host.token.slice(0, -1) + (host.token.endsWith('A') ? 'B' : 'A');
    for (const path of paths) {
      const sep = path.includes('?') ? '&' : '?';
      expectRefused(await rawGet(host.port, path), [401], `${path} without token`);
      expectRefused(await rawGet(host.port, `${path}${sep}token=${wrong}`), [401], `${path} wrong token`);
      expectRefused(await rawGet(host.port, `${path}${sep}token=`), [401], `${path} empty token`);
      expectRefused(await rawGet(host.port, `${path}${sep}token=${host.token}x`), [401], `${path} longer token`);
      expectRefused(
        await rawGet(host.port, path, { Cookie: `clearframe_token_${host.port + 1}=${host.token}` }),
        [401],
        `${path} other port's cookie`,
      );
      expectRefused(
        await rawGet(host.port, path, { Authorization: `Bearer ${host.token}` }),
        [401],
        `${path} bearer header`,
      );
    }
  });

  it('refuses a foreign Host header even with the token (DNS rebinding)', async () => {
    for (const hostHeader of [
      'evil.example',
      `evil.example:${host.port}`,
      `127.0.0.1.evil.example:${host.port}`,
      `127.0.0.1:${host.port + 1}`,
    ]) {
      const response = await rawGet(host.port, `/?token=${host.token}`, { Host: hostHeader });
      expectRefused(response, [400, 401, 403], `Host: ${hostHeader}`);
    }
    // Node's client always sends a Host; an empty or missing one needs a raw request.
    for (const head of [
      `GET /?token=${host.token} HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n`,
      `GET /?token=${host.token} HTTP/1.0\r\n\r\n`,
    ]) {
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: host.port }, () => socket.end(head));
        let text = '';
        socket.on('data', (chunk) => (text += chunk.toString('latin1')));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      expect(reply, JSON.stringify(head)).toMatch(/^HTTP\/1\.[01] (400|401|403) /);
      refusals++;
    }
  });

  it('serves with the token (query, then cookie), with CSP and nosniff', async () => {
    const first = await rawGet(host.port, `/?token=${host.token}`);
    expect(first.status).toBe(200);
    expectSecure(first, 'index with token');
    const cookie = String(first.headers['set-cookie'] ?? '').split(';')[0]!;
    expect(cookie).toBe(`clearframe_token_${host.port}=${host.token}`);
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly/i);
    expect(String(first.headers['set-cookie'])).toMatch(/SameSite=Strict/i);
    const asset = await rawGet(host.port, '/assets/app.js', { Cookie: cookie });
    expect(asset.status).toBe(200);
    expectSecure(asset, 'asset by cookie');
    const image = await rawGet(host.port, `/image?path=${encodeURIComponent(join(photos, 'sub', 'ok 2 ü.png'))}`, {
      Cookie: cookie,
    });
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.body.equals(await readFile(join(photos, 'ok.png')))).toBe(true);
    expectSecure(image, 'image');
  });

  it('refuses methods other than GET and HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      expectRefused(await rawGet(host.port, `/?token=${host.token}`, {}, method), [405], method);
    }
  });
});

describe('HTTP: no path traversal', () => {
  const outside = (): string[] => {
    const p = photos;
    return [
      `${p}/../secret.png`,
      `${p}/sub/../../secret.png`,
      `${p}/%2e%2e/secret.png`,
      `${p}/%252e%252e/secret.png`,
      `${p}/..%2fsecret.png`,
      `${p}/..\\secret.png`,
      `${p}/escape.png`,
      `${p}/escape-dir/secret.png`,
      `${p}/escape-dir/secret.txt`,
      join(root, 'secret.png'),
      '/etc/passwd',
      '/proc/self/environ',
      'secret.png',
      '../secret.png',
      `${p}/ok.png\0.png`,
      `file://${root}/secret.png`,
      `//127.0.0.1${root}/secret.png`,
    ];
  };

  it('refuses /image outside the opened folder: .., encoded, double-encoded, absolute, symlinks', async () => {
    const cookie = `clearframe_token_${host.port}=${host.token}`;
    for (const path of outside()) {
      // Once as a properly encoded parameter, once raw as typed, once encoded twice.
      for (const query of [
        encodeURIComponent(path),
        path.replace(/ /g, '%20').replace(/\0/g, '%00'),
        encodeURIComponent(encodeURIComponent(path)),
      ]) {
        expectRefused(
          await rawGet(host.port, `/image?path=${query}`, { Cookie: cookie }),
          [400, 403, 404],
          `/image ${query}`,
        );
      }
    }
  });

  it('refuses static paths that climb out of the renderer folder', async () => {
    const cookie = `clearframe_token_${host.port}=${host.token}`;
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..%2fsecret.txt',
      '/%252e%252e/secret.txt',
      '/..\\secret.txt',
      '/assets/..%5c..%5csecret.txt',
      `/${join(root, 'secret.txt')}`,
      '//etc/passwd',
      '/index.html%00.js',
    ]) {
      expectRefused(await rawGet(host.port, path, { Cookie: cookie }), [400, 403, 404], `static ${path}`);
    }
  });
});

describe('WebSocket', () => {
  it('refuses upgrades without the token or from a foreign Origin', async () => {
    const cases: Array<[string, string, Record<string, string>, number[]]> = [
      ['no token', wsUrl, { Origin: origin }, [401]],
      ['wrong token', `${wsUrl}?token=${host.token.slice(1)}x`, { Origin: origin }, [401]],
      ['no Origin', `${wsUrl}?token=${host.token}`, {}, [403]],
      ['foreign Origin', `${wsUrl}?token=${host.token}`, { Origin: 'http://evil.example' }, [403]],
      ['null Origin', `${wsUrl}?token=${host.token}`, { Origin: 'null' }, [403]],
      ['https Origin', `${wsUrl}?token=${host.token}`, { Origin: `https://127.0.0.1:${host.port}` }, [403]],
      ['other port Origin', `${wsUrl}?token=${host.token}`, { Origin: `http://127.0.0.1:${host.port + 1}` }, [403]],
      ['foreign Host', `${wsUrl}?token=${host.token}`, { Origin: origin, Host: 'evil.example' }, [401, 403]],
      ['wrong path', `ws://127.0.0.1:${host.port}/socket?token=${host.token}`, { Origin: origin }, [404]],
    ];
    for (const [what, url, headers, statuses] of cases) {
      const outcome = await openSocket(url, headers);
      if (typeof outcome !== 'number') outcome.terminate();
      expect(statuses, `${what}: ${typeof outcome === 'number' ? outcome : 'opened'}`).toContain(
        typeof outcome === 'number' ? outcome : 101,
      );
      refusals++;
    }
  });

  it('opens by cookie with our Origin, answers the contract, and survives malformed messages', async () => {
    const socket = await openSocket(wsUrl, {
      Origin: `http://localhost:${host.port}`,
      Cookie: `clearframe_token_${host.port}=${host.token}`,
    });
    if (typeof socket === 'number') throw new Error(`refused: ${socket}`);
    const raw: string[] = [];
    socket.on('message', (data) => raw.push(data.toString()));
    for (const message of [
      'not json',
      '{}',
      '[]',
      'null',
      JSON.stringify({ id: {}, channel: 'app:info' }),
      JSON.stringify({ id: 1, channel: 'x'.repeat(500) }),
      JSON.stringify({ id: 2, channel: '__proto__', request: {} }),
    ]) {
      socket.send(message);
    }
    socket.send(Buffer.from([0, 1, 2, 3]), { binary: true });
    const deadline = Date.now() + 10_000;
    while (raw.length < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(raw).toHaveLength(8);
    for (const text of raw) {
      const answer = JSON.parse(text) as { result: unknown };
      assertWellFormedResult(answer.result);
      expect((answer.result as { ok: boolean }).ok).toBe(false);
    }
    socket.close();
    // The host still answers after all that, and after a message over the size limit.
    const big = await openSocket(`${wsUrl}?token=${host.token}`, { Origin: origin });
    if (typeof big === 'number') throw new Error(`refused: ${big}`);
    const closed = new Promise<number>((resolve) => big.once('close', (code) => resolve(code)));
    big.send(JSON.stringify({ id: 1, channel: 'settings:set', request: { runtime: 'x'.repeat(2_000_000) } }));
    expect(await closed).toBe(1009);
    const badText = await openSocket(`${wsUrl}?token=${host.token}`, { Origin: origin });
    if (typeof badText === 'number') throw new Error(`refused: ${badText}`);
    const closedBad = new Promise<number>((resolve) => badText.once('close', (code) => resolve(code)));
    badText.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false }); // a text frame that is not UTF-8
    expect(await closedBad).toBe(1007);
    const info = await client.call('app:info', {});
    expect(info.ok).toBe(true);
  });
});
