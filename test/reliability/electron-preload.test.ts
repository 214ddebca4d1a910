// The Electron preload exposes nothing but the bridge (issue #9, security). The preload is bundled
// exactly as scripts/build-preload.mjs does, then run in a bare VM context with a recording fake of
// `electron`: whatever it hands the page is what a compromised page could reach.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../src-main/app/ipc-names.js';
import { removeTempDirs, repoRoot, tempDir } from './support/env.js';

interface Recorded {
  exposed: Array<{ key: string; api: Record<string, unknown> }>;
  required: string[];
  invoked: unknown[][];
  sent: unknown[][];
  listeners: Map<string, Array<(...args: unknown[]) => void>>;
  globalsAdded: string[];
  /** The fake electron objects: none may be reachable from what the page gets. */
  privileged: unknown[];
}

let bundle: string;

beforeAll(async () => {
  const out = join(await tempDir('preload'), 'preload.cjs');
  await build({
    absWorkingDir: repoRoot,
    entryPoints: ['src-main/app/preload.ts'],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
    logLevel: 'silent',
  });
  bundle = await readFile(out, 'utf8');
});
afterAll(removeTempDirs);

function runPreload(): Recorded {
  const recorded: Recorded = {
    exposed: [],
    required: [],
    invoked: [],
    sent: [],
    listeners: new Map(),
    globalsAdded: [],
    privileged: [],
  };
  const ipcRenderer = {
    invoke: (...args: unknown[]) => {
      recorded.invoked.push(args);
      return Promise.resolve({ ok: true, value: null });
    },
    send: (...args: unknown[]) => void recorded.sent.push(args),
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      recorded.listeners.set(channel, [...(recorded.listeners.get(channel) ?? []), listener]);
    },
    removeListener: (channel: string, listener: (...args: unknown[]) => void) => {
      recorded.listeners.set(
        channel,
        (recorded.listeners.get(channel) ?? []).filter((l) => l !== listener),
      );
    },
  };
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: Record<string, unknown>) => void recorded.exposed.push({ key, api }),
    },
    ipcRenderer,
    webUtils: { getPathForFile: () => '/picked/file.png' },
  };
  recorded.privileged.push(
    electron,
    ipcRenderer,
    electron.contextBridge,
    electron.webUtils,
    ...Object.values(ipcRenderer),
  );
  const module = { exports: {} };
  const require = (name: string): unknown => {
    recorded.required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`the preload required ${name}`);
  };
  // Electron runs a sandboxed preload inside a CommonJS-style function wrapper, like this one.
  const sandbox: Record<string, unknown> = {};
  const context = createContext(sandbox);
  const wrapped = runInContext(`(function (exports, require, module) {${bundle}\n})`, context, {
    filename: 'preload.cjs',
  }) as (e: unknown, r: unknown, m: unknown) => void;
  wrapped(module.exports, require, module);
  recorded.globalsAdded = Object.keys(sandbox);
  return recorded;
}

describe('Electron preload', () => {
  it('requires only electron and exposes exactly one bridge with three functions', () => {
    const r = runPreload();
    expect([...new Set(r.required)]).toEqual(['electron']);
    expect(r.exposed.map((e) => e.key)).toEqual(['clearframe']);
    const api = r.exposed[0]!.api;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on', 'pathForFile']);
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(r.globalsAdded).toEqual([]);
    expect(r.sent).toEqual([]);
  });

  it('never hands out ipcRenderer, electron modules or Node objects', () => {
    const r = runPreload();
    const api = r.exposed[0]!.api;
    const seen = new Set<unknown>();
    const walk = (value: unknown, depth: number): void => {
      if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value) || depth > 3)
        return;
      seen.add(value);
      for (const key of Object.getOwnPropertyNames(value)) {
        if (typeof value === 'function' && ['prototype', 'length', 'name', 'caller', 'arguments'].includes(key))
          continue;
        walk((value as Record<string, unknown>)[key], depth + 1);
      }
    };
    walk(api, 0);
    for (const value of r.privileged) expect(seen.has(value)).toBe(false);
    // And what the page gets back from calls is data, not a privileged object.
    const fromCalls = [
      (api.on as (e: string, l: () => void) => unknown)('x', () => undefined),
      (api.pathForFile as (f: unknown) => unknown)({}),
    ];
    expect(typeof fromCalls[0]).toBe('function');
    expect(fromCalls[1]).toBe('/picked/file.png');
    expect(bundle).not.toMatch(/require\(["'](node:)?(fs|child_process|path|os|net|http|vm|worker_threads)["']\)/);
  });

  it('invoke sends only on the contract channel, whatever name the page passes', async () => {
    const r = runPreload();
    const api = r.exposed[0]!.api as { invoke: (channel: string, request: unknown) => Promise<unknown> };
    await api.invoke('app:info', {});
    await api.invoke('../../evil', { x: 1 });
    await api.invoke(INVOKE_CHANNEL, {});
    expect(r.invoked.map((args) => args[0])).toEqual([INVOKE_CHANNEL, INVOKE_CHANNEL, INVOKE_CHANNEL]);
    expect(r.invoked[1]).toEqual([INVOKE_CHANNEL, '../../evil', { x: 1 }]);
  });

  it('on() listens on the event channel only, passes the payload without the IPC event, and unsubscribes', () => {
    const r = runPreload();
    const api = r.exposed[0]!.api as { on: (event: string, listener: (...args: unknown[]) => void) => () => void };
    const got: unknown[][] = [];
    const off = api.on('app:navigate', (...args) => got.push(args));
    expect([...r.listeners.keys()]).toEqual([EVENT_CHANNEL]);
    const fakeEvent = { sender: { send: () => undefined }, senderFrame: {} };
    for (const listener of r.listeners.get(EVENT_CHANNEL)!) {
      listener(fakeEvent, 'app:navigate', { view: 'library' });
      listener(fakeEvent, 'app:openFolder', { folder: '/x' });
    }
    expect(got).toEqual([[{ view: 'library' }]]);
    off();
    expect(r.listeners.get(EVENT_CHANNEL)).toEqual([]);
  });
});
