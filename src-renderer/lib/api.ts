// The renderer's one client for the contract. Two transports, picked once at start-up:
// Electron's preload bridge (window.clearframe) or the browser host's loopback WebSocket.
// Every answer is validated against the channel's response schema here, at the boundary, so the
// rest of the renderer can trust the types. invoke() never throws: it answers a Result.
import {
  ApiError,
  channels,
  describeZodError,
  events,
  isEventName,
  type Channel,
  type EventName,
  type EventPayload,
  type RequestOf,
  type ResponseOf,
  type Result,
} from '../../src-shared/contract.js';
import { Correlator } from '../../src-shared/correlator.js';
import type { z } from 'zod';
import type { ClearframeBridge } from './bridge.js';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

interface Transport {
  readonly kind: 'electron' | 'browser';
  send(channel: string, request: unknown): Promise<unknown>;
  subscribe(listener: (event: string, payload: unknown) => void): void;
}

type Listener = (payload: unknown) => void;

/** An error the client itself answers (the host never saw the request, or its answer was bad). */
export function clientError(code: ApiError['code'], message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message } };
}

class ElectronTransport implements Transport {
  readonly kind = 'electron';
  constructor(private readonly bridge: ClearframeBridge) {}
  send(channel: string, request: unknown): Promise<unknown> {
    return this.bridge.invoke(channel, request);
  }
  subscribe(listener: (event: string, payload: unknown) => void): void {
    for (const name of Object.keys(events)) this.bridge.on(name, (payload) => listener(name, payload));
  }
}

/** Why the requests in flight fail when the socket drops. */
class ConnectionLost extends Error {}

/**
 * The browser host's socket: client → {id, channel, request}; host → {id, result} answers and
 * {event, payload} pushes. Reconnects with backoff; requests in flight when the socket drops are
 * answered with an error at once (the host may or may not have run them; the caller decides).
 */
export class SocketTransport implements Transport {
  readonly kind = 'browser';
  private socket: WebSocket | null = null;
  private readonly calls = new Correlator<unknown>();
  private readonly queued: string[] = [];
  private readonly pushListeners: ((event: string, payload: unknown) => void)[] = [];
  private attempt = 0;
  state: ConnectionState = 'connecting';

  constructor(
    private readonly url: string,
    private readonly onState: (state: ConnectionState) => void,
  ) {
    this.connect();
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.onState(state);
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setState('open');
      for (const message of this.queued.splice(0)) socket.send(message);
    };
    socket.onmessage = (message) => this.receive(message.data);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.calls.failAll(new ConnectionLost());
      this.setState('reconnecting');
      // 250 ms, 500 ms, 1 s … capped at 5 s: quick after a blip, gentle while the host is down.
      const delay = Math.min(5000, 250 * 2 ** this.attempt++);
      setTimeout(() => this.connect(), delay);
    };
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const record = message as Record<string, unknown>;
    if (typeof record.id === 'number') {
      this.calls.resolve(record.id, record.result);
    } else if (typeof record.event === 'string') {
      for (const listener of this.pushListeners) listener(record.event, record.payload);
    }
  }

  send(channel: string, request: unknown): Promise<unknown> {
    const answer = this.calls.call((id) => {
      const message = JSON.stringify({ id, channel, request });
      if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(message);
      else this.queued.push(message);
    });
    return answer.catch((error: unknown) => {
      if (!(error instanceof ConnectionLost)) throw error;
      return clientError(
        'io',
        'The connection to Clearframe was lost before it answered. Check that it is still running, then try again.',
      );
    });
  }

  subscribe(listener: (event: string, payload: unknown) => void): void {
    this.pushListeners.push(listener);
  }
}

/**
 * The browser host serves the page at http://127.0.0.1:PORT/?token=T and its socket at /ws on the
 * same origin; the socket takes the page's own token (see src-main/host/server.ts's handshake).
 */
export function hostSocketUrl(location: Pick<Location, 'href' | 'protocol' | 'search'>): string {
  const url = new URL('/ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = new URLSearchParams(location.search).get('token');
  url.search = token ? `?token=${encodeURIComponent(token)}` : '';
  url.hash = '';
  return url.toString();
}

/** Checks an untrusted answer against the envelope and the channel's response schema. */
export function validateResult<C extends Channel>(channel: C, raw: unknown): Result<ResponseOf<C>> {
  if (typeof raw !== 'object' || raw === null || typeof (raw as { ok?: unknown }).ok !== 'boolean') {
    return clientError('internal', `Clearframe answered ${channel} with something that is not a result.`);
  }
  const envelope = raw as { ok: boolean; value?: unknown; error?: unknown };
  if (!envelope.ok) {
    const error = ApiError.safeParse(envelope.error);
    return error.success
      ? { ok: false, error: error.data }
      : clientError('internal', `${channel} failed without saying why.`);
  }
  const schema: z.ZodType = channels[channel].response;
  const parsed = schema.safeParse(envelope.value);
  if (!parsed.success) {
    return clientError(
      'internal',
      `Clearframe answered ${channel} in an unexpected shape (${describeZodError(parsed.error)}).`,
    );
  }
  return { ok: true, value: parsed.data as ResponseOf<C> };
}

class Client {
  private transport: Transport | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  connection: ConnectionState = 'connecting';

  private get active(): Transport {
    if (!this.transport) {
      const bridge = typeof window !== 'undefined' ? window.clearframe : undefined;
      if (bridge) {
        this.transport = new ElectronTransport(bridge);
        this.setConnection('open');
      } else {
        this.transport = new SocketTransport(hostSocketUrl(window.location), (state) => this.setConnection(state));
      }
      this.transport.subscribe((event, payload) => this.dispatchEvent(event, payload));
    }
    return this.transport;
  }

  get host(): 'electron' | 'browser' {
    return this.active.kind;
  }

  private setConnection(state: ConnectionState): void {
    this.connection = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private dispatchEvent(event: string, payload: unknown): void {
    if (!isEventName(event)) return;
    const schema: z.ZodType = (events as Record<string, z.ZodType>)[event] as z.ZodType;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      console.warn(`Ignored a malformed ${event} event: ${describeZodError(parsed.error)}`);
      return;
    }
    for (const listener of this.listeners.get(event) ?? []) listener(parsed.data);
  }

  async invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
    let raw: unknown;
    try {
      raw = await this.active.send(channel, request);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return clientError('io', `Could not reach Clearframe for ${channel}: ${reason}`);
    }
    return validateResult(channel, raw);
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    void this.active;
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const wrapped = listener as Listener;
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.connection);
    return () => this.stateListeners.delete(listener);
  }
}

export const api = new Client();
export const { invoke, on } = {
  invoke: <C extends Channel>(channel: C, request: RequestOf<C>) => api.invoke(channel, request),
  on: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => api.on(event, listener),
};
