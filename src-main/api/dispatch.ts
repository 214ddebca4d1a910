// Validates a raw request against the contract, runs its handler and answers a typed Result.
// Shared by Electron's ipcMain and the browser host's WebSocket: neither ever sees a stack trace.
import {
  ClearframeError,
  channels,
  describeZodError,
  isChannel,
  type Channel,
  type EventName,
  type EventPayload,
  type ParsedRequestOf,
  type ResponseOf,
  type Result,
} from '../../src-shared/contract.js';
import { EngineError, engineErrorToApi } from '../engine/contract/engine-error.js';

export interface RequestContext {
  /** Push an event to the client that made this request (and, for broadcasts, to all clients). */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

export type Handler<C extends Channel> = (
  request: ParsedRequestOf<C>,
  context: RequestContext,
) => Promise<ResponseOf<C>>;

export type Handlers = { [C in Channel]: Handler<C> };

/** Logs the internals of an unexpected error where developers can read them, never to the UI. */
export type InternalErrorLogger = (channel: string, error: unknown) => void;

const logToStderr: InternalErrorLogger = (name, error) => {
  console.error(`[api] ${name} failed:`, error);
};

export async function dispatch(
  handlers: Handlers,
  name: string,
  rawRequest: unknown,
  context: RequestContext,
  logInternal: InternalErrorLogger = logToStderr,
): Promise<Result<unknown>> {
  if (!isChannel(name)) {
    return {
      ok: false,
      error: { code: 'unknown-channel', message: `There is no channel named "${name.slice(0, 64)}".` },
    };
  }
  const parsed = channels[name].request.safeParse(rawRequest ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid-request', message: describeZodError(parsed.error) } };
  }
  try {
    const handler = handlers[name] as Handler<typeof name>;
    const value = await handler(parsed.data as ParsedRequestOf<typeof name>, context);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof ClearframeError) return { ok: false, error: error.toApiError() };
    if (error instanceof EngineError) return { ok: false, error: engineErrorToApi(error) };
    logInternal(name, error);
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'internal', message: `Something went wrong in ${name}: ${message}` } };
  }
}
