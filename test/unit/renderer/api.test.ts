/// <reference lib="dom" />
// The renderer's contract client over the browser host's socket: queueing until open, answers by
// id, pushes, drops failing pending requests with a clear error, reconnecting with backoff, and
// answers validated against the channel's response schema.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hostSocketUrl, SocketTransport, validateResult, type ConnectionState } from '../../../src-renderer/lib/api.js';

class FakeSocket {
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.();
  }
}

describe('SocketTransport', () => {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.stubGlobal('WebSocket', FakeSocket);
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('queues requests until the socket opens and resolves answers by id', async () => {
    const states: ConnectionState[] = [];
    const transport = new SocketTransport('ws://127.0.0.1:1/ws?token=t', (s) => states.push(s));
    const answer = transport.send('settings:get', {});
    const socket = FakeSocket.all[0]!;
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(states).toEqual(['open']);
    const sent = JSON.parse(socket.sent[0]!) as { id: number; channel: string; request: unknown };
    expect(sent).toMatchObject({ channel: 'settings:get', request: {} });
    socket.receive({ id: sent.id + 1000, result: { ok: true, value: 'not ours' } });
    socket.receive({ id: sent.id, result: { ok: true, value: 42 } });
    await expect(answer).resolves.toEqual({ ok: true, value: 42 });
  });

  it('delivers pushes to subscribers', () => {
    const transport = new SocketTransport('ws://x/ws', () => {});
    const seen: unknown[] = [];
    transport.subscribe((event, payload) => seen.push([event, payload]));
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.receive({ event: 'app:navigate', payload: { view: 'queue' } });
    expect(seen).toEqual([['app:navigate', { view: 'queue' }]]);
  });

  it('fails requests in flight when the connection drops, then reconnects with backoff', async () => {
    const states: ConnectionState[] = [];
    const transport = new SocketTransport('ws://x/ws', (s) => states.push(s));
    FakeSocket.all[0]!.open();
    const pending = transport.send('library:open', { folder: '/a' });
    FakeSocket.all[0]!.drop();
    const result = (await pending) as { ok: boolean; error: { code: string; message: string } };
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('io');
    expect(result.error.message).toMatch(/connection to Clearframe was lost/);
    expect(states).toEqual(['open', 'reconnecting']);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(250);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1]!.drop(); // still down: the next try waits longer
    vi.advanceTimersByTime(250);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(250);
    expect(FakeSocket.all).toHaveLength(3);
    FakeSocket.all[2]!.open();
    expect(states.at(-1)).toBe('open');
  });
});

describe('validateResult', () => {
  it('passes a well-formed answer through with its parsed value', () => {
    const result = validateResult('library:thumbnail', {
      ok: true,
      value: { mime: 'image/webp', data: 'AA==', width: 1, height: 1 },
    });
    expect(result).toEqual({ ok: true, value: { mime: 'image/webp', data: 'AA==', width: 1, height: 1 } });
  });
  it('turns an answer of the wrong shape into an error naming the channel and the field', () => {
    const result = validateResult('library:thumbnail', { ok: true, value: { mime: 'image/gif', data: 'AA==' } });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('internal');
      expect(result.error.message).toMatch(/library:thumbnail/);
      expect(result.error.message).toMatch(/mime/);
    }
  });
  it('keeps typed errors and refuses non-results', () => {
    expect(validateResult('settings:get', { ok: false, error: { code: 'busy', message: 'Later.' } })).toEqual({
      ok: false,
      error: { code: 'busy', message: 'Later.' },
    });
    expect(validateResult('settings:get', 'nonsense').ok).toBe(false);
  });
});

describe('hostSocketUrl', () => {
  it('puts the socket at /ws on the page origin with the page token', () => {
    expect(
      hostSocketUrl({ href: 'http://127.0.0.1:5174/?token=abc#/library', protocol: 'http:', search: '?token=abc' }),
    ).toBe('ws://127.0.0.1:5174/ws?token=abc');
  });
});
