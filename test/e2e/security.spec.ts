// The browser host's gate, probed from a real browser and from raw clients: the token on every
// request, the origin on the socket, and images only from opened folders.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import WebSocket from 'ws';
import { copyImages, expect, samples, test } from './fixtures.js';

function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', () => resolve(-1));
  });
}

test('without the token, every HTTP request is refused with 401', async ({ host, playwright }) => {
  const anonymous = await playwright.request.newContext();
  for (const path of ['/', '/index.html', '/image?path=%2Fetc%2Fpasswd', '/ws', '/?token=wrong']) {
    const response = await anonymous.get(`${host.origin}${path}`);
    expect(response.status(), path).toBe(401);
  }
  await anonymous.dispose();
});

test('the socket needs the token and our own origin', async ({ host, page }) => {
  const ws = `ws://127.0.0.1:${host.port}/ws`;
  expect(await upgradeStatus(ws, { origin: host.origin })).toBe(401);
  expect(await upgradeStatus(`${ws}?token=${host.token}`, { origin: 'http://evil.example' })).toBe(403);
  expect(await upgradeStatus(`${ws}?token=${host.token}`, { origin: host.origin })).toBe(101);
  // A page from another origin in the same browser (so it holds the cookie) still cannot connect.
  const foreign = await page.context().newPage();
  await foreign.goto('about:blank');
  const opened = await foreign.evaluate(
    (url) =>
      new Promise<boolean>((resolve) => {
        const socket = new WebSocket(url);
        socket.onopen = () => resolve(true);
        socket.onerror = () => resolve(false);
      }),
    `${ws}?token=${host.token}`,
  );
  expect(opened).toBe(false);
});

test('pages carry a strict CSP, nosniff and no-referrer', async ({ host, playwright }) => {
  const context = await playwright.request.newContext();
  const response = await context.get(host.url);
  expect(response.status()).toBe(200);
  const headers = response.headers();
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  expect(headers['content-security-policy']).toContain("default-src 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['set-cookie']).toMatch(/HttpOnly; SameSite=Strict/);
  await context.dispose();
});

test('images outside the opened folders are refused, whatever the spelling', async ({ page, host, tempDir }) => {
  const folder = await copyImages(join(samples, 'grey'), join(tempDir, 'opened'), 2);
  await mkdir(join(tempDir, 'private'));
  await writeFile(join(tempDir, 'private', 'secret.png'), 'private bytes');
  await symlink(join(tempDir, 'private', 'secret.png'), join(folder, 'sneaky.png'));
  await page.getByTestId('open-folder-path').fill(folder);
  await page.getByTestId('open-folder-submit').click();
  await expect(page.getByTestId('thumbnail').first()).toBeVisible();

  // page.request shares the page's cookie: these are authenticated requests.
  const image = (path: string) => page.request.get(`${host.origin}/image?path=${encodeURIComponent(path)}`);
  const inside = await image(join(folder, '01.png'));
  expect(inside.status()).toBe(200);
  expect(inside.headers()['content-type']).toBe('image/png');

  const refused = [
    join(tempDir, 'private', 'secret.png'),
    `${folder}/../private/secret.png`,
    `${folder}/./../private/secret.png`,
    `${folder}\\..\\private\\secret.png`,
    join(folder, 'sneaky.png'),
    '/etc/passwd',
    'private/secret.png',
  ];
  for (const path of refused) expect((await image(path)).status(), path).toBe(403);
  // Encoded traversal in the raw query string, decoded by the host exactly once.
  const raw = await page.request.get(`${host.origin}/image?path=${folder}/%2e%2e/private/secret.png`);
  expect(raw.status()).toBe(403);
  const doubly = await page.request.get(`${host.origin}/image?path=${folder}/%252e%252e/private/secret.png`);
  expect([403, 404]).toContain(doubly.status());
  expect(await doubly.text()).not.toContain('private bytes');
});
