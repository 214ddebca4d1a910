// Electron's security checklist, without Electron's binary (issue #9, security): the real shell
// modules run against a recording fake of `electron`, so what they ask Electron for is checked —
// the window's webPreferences, the IPC sender check, and the navigation / new-window lockdown.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { noisyImage } from '../../scripts/make-bad-corpus.js';
import { AllowedFolders } from '../../src-main/access/allowed-folders.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { removeTempDirs, tempDir } from './support/env.js';
import { makeApi } from './support/api.js';
import { createHandlers } from '../../src-main/api/index.js';
import { assertWellFormedResult } from './support/api.js';

const fake = vi.hoisted(() => {
  const state = {
    windows: [] as Array<{ options: Record<string, unknown>; loaded: string[] }>,
    ipcHandlers: new Map<string, (...args: unknown[]) => unknown>(),
    appListeners: new Map<string, (...args: unknown[]) => void>(),
    openedExternally: [] as string[],
  };
  class BrowserWindow {
    readonly webContents = { send: () => undefined };
    readonly record: { options: Record<string, unknown>; loaded: string[] };
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: [] };
      state.windows.push(this.record);
    }
    static getAllWindows(): BrowserWindow[] {
      return [];
    }
    maximize(): void {}
    once(): void {}
    on(): void {}
    show(): void {}
    isDestroyed(): boolean {
      return false;
    }
    loadURL(url: string): Promise<void> {
      this.record.loaded.push(url);
      return Promise.resolve();
    }
  }
  const display = { workArea: { x: 0, y: 0, width: 1920, height: 1080 } };
  return {
    state,
    electron: {
      BrowserWindow,
      screen: { getPrimaryDisplay: () => display, getAllDisplays: () => [display] },
      ipcMain: {
        handle: (channel: string, handler: (...args: unknown[]) => unknown) =>
          void state.ipcHandlers.set(channel, handler),
      },
      app: {
        on: (name: string, listener: (...args: unknown[]) => void) => void state.appListeners.set(name, listener),
      },
      shell: { openExternal: (url: string) => void state.openedExternally.push(url) },
    },
  };
});
vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

const { createMainWindow } = await import('../../src-main/app/window.js');
const { serveContractOverIpc } = await import('../../src-main/app/ipc.js');
const { hardenAllWebContents } = await import('../../src-main/app/hardening.js');
const { INVOKE_CHANNEL } = await import('../../src-main/app/ipc-names.js');
const { APP_ENTRY_URL } = await import('../../src-main/app/trust.js');
const { decideImageRequest } = await import('../../src-main/app/image-protocol.js');

let dataDir: string;
let root: string;
beforeAll(async () => {
  root = await tempDir('electron');
  dataDir = join(root, 'data');
});
afterAll(removeTempDirs);

describe('main window', () => {
  it('has the webPreferences of the security checklist and loads our own scheme', () => {
    const state = { load: () => undefined, save: () => undefined };
    createMainWindow('/app/preload.cjs', state as never);
    const { options, loaded } = fake.state.windows.at(-1)!;
    const prefs = options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: '/app/preload.cjs',
    });
    // Dangerous switches are off or left at their safe defaults.
    for (const key of ['webSecurity']) expect(prefs[key] ?? true, key).toBe(true);
    for (const key of [
      'nodeIntegrationInWorker',
      'nodeIntegrationInSubFrames',
      'allowRunningInsecureContent',
      'experimentalFeatures',
      'webviewTag',
      'enableBlinkFeatures',
    ]) {
      expect(prefs[key] ?? false, key).toBe(false);
    }
    expect(loaded).toEqual([APP_ENTRY_URL]);
    expect(APP_ENTRY_URL).toMatch(/^clearframe:\/\//);
  });
});

describe('IPC', () => {
  it('refuses requests from any frame but our own page, then validates them like every channel', async () => {
    const api = makeApi(dataDir);
    serveContractOverIpc(createHandlers(api.services));
    const handler = fake.state.ipcHandlers.get(INVOKE_CHANNEL)!;
    expect(handler).toBeTypeOf('function');
    const from = (url: string | undefined): unknown => ({ senderFrame: url === undefined ? undefined : { url } });
    for (const url of [
      undefined,
      '',
      'https://evil.example/',
      'file:///etc/passwd',
      'http://127.0.0.1:5173/',
      'clearframe://evil/index.html',
      'clearframe://app.evil.example/',
      'clearframe-image://app/x.png',
      'devtools://devtools/',
      'about:blank',
      'data:text/html,hi',
    ]) {
      const result = await handler(from(url), 'settings:get', {});
      assertWellFormedResult(result);
      expect([url, result.ok ? 'ok' : result.error.code]).toEqual([url, 'forbidden']);
    }
    const ok = await handler(from(APP_ENTRY_URL), 'settings:get', {});
    assertWellFormedResult(ok);
    expect(ok.ok).toBe(true);
    for (const [channel, request, code] of [
      [42, {}, 'invalid-request'],
      ['nope', {}, 'unknown-channel'],
      ['settings:set', { theme: 'evil' }, 'invalid-request'],
    ] as const) {
      const result = await handler(from(APP_ENTRY_URL), channel, request);
      assertWellFormedResult(result);
      expect(result.ok ? 'ok' : result.error.code).toBe(code);
    }
  });
});

describe('navigation and new windows', () => {
  it('blocks navigation away from the app, webviews and every new window', () => {
    hardenAllWebContents();
    const created = fake.state.appListeners.get('web-contents-created')!;
    const listeners = new Map<string, (event: { preventDefault: () => void }, ...args: unknown[]) => void>();
    let windowOpen: ((details: { url: string }) => { action: string }) | undefined;
    created(
      {},
      {
        on: (name: string, listener: (event: { preventDefault: () => void }, ...args: unknown[]) => void) =>
          void listeners.set(name, listener),
        setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) =>
          void (windowOpen = handler),
      },
    );
    const prevented = (name: string, url?: string): boolean => {
      let stopped = false;
      listeners.get(name)!({ preventDefault: () => void (stopped = true) }, url);
      return stopped;
    };
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'http://127.0.0.1/', 'clearframe://evil/']) {
      expect(prevented('will-navigate', url), url).toBe(true);
      expect(prevented('will-redirect', url), url).toBe(true);
    }
    expect(prevented('will-navigate', APP_ENTRY_URL)).toBe(false);
    expect(prevented('will-attach-webview')).toBe(true);
    for (const url of [
      'https://evil.example/',
      'https://github.com/',
      'http://github.com/',
      'javascript:alert(1)',
      'file:///etc/passwd',
    ]) {
      expect(windowOpen!({ url }).action, url).toBe('deny');
    }
    // Only https links to allowlisted hosts reach the OS browser.
    expect(fake.state.openedExternally).toEqual(['https://github.com/']);
  });
});

describe('clearframe-image:// protocol', () => {
  it('serves only images under opened folders: no .., encoded, absolute or symlinked escape', async () => {
    const photos = join(root, 'photos');
    await mkdir(photos, { recursive: true });
    await noisyImage(8, 8, 3, 1).png().toFile(join(photos, 'ok.png'));
    await writeFile(join(root, 'secret.png'), 'secret');
    await writeFile(join(photos, 'notes.txt'), 'not an image');
    await symlink(join(root, 'secret.png'), join(photos, 'escape.png'));
    const access = new AllowedFolders();
    await access.allow(photos);
    const url = (path: string): string => `clearframe-image://image/?path=${encodeURIComponent(path)}`;
    expect(await decideImageRequest(url(join(photos, 'ok.png')), access)).toMatchObject({
      status: 200,
      mime: 'image/png',
    });
    const hostile = [
      `${photos}/../secret.png`,
      `${photos}/%2e%2e/secret.png`,
      `${photos}/escape.png`,
      join(root, 'secret.png'),
      '/etc/passwd',
      'secret.png',
      `${photos}/notes.txt`,
      `${photos}/ok.png\0`,
    ];
    for (const path of hostile) {
      const decision = await decideImageRequest(url(path), access);
      expect([path, decision.status]).not.toEqual([path, 200]);
    }
    for (const raw of [
      'clearframe-image://image/?path=%E0%A4%A',
      'clearframe-image://image/',
      'not a url',
      `clearframe-image://image/?path=${photos}/..%2fsecret.png`,
    ]) {
      expect((await decideImageRequest(raw, access)).status, raw).not.toBe(200);
    }
  });
});
