// The real api handlers over a temp data dir, as the browser host builds them: with a real engine
// process (started on first use) for scans, thumbnails, denoising and training. close() ends it.
import { join } from 'node:path';
import { AllowedFolders } from '../../../src-main/access/allowed-folders.js';
import { dispatch, type RequestContext } from '../../../src-main/api/dispatch.js';
import { createHandlers, type ApiServices } from '../../../src-main/api/index.js';
import { createEngineServices } from '../../../src-main/engine-client/engine-services.js';
import { openConfSettings } from '../../../src-main/settings/conf-settings.js';
import { ApiError, type Result } from '../../../src-shared/contract-core.js';

export interface TestApi {
  services: ApiServices;
  call(channel: string, request: unknown): Promise<Result<unknown>>;
  /** Unexpected errors the dispatcher logged (a handler threw something that is not a ClearframeError). */
  internalErrors: Array<{ channel: string; error: unknown }>;
  events: Array<{ event: string; payload: unknown }>;
  /** Stops the engine process, if it was started. */
  close(): Promise<void>;
}

export function makeApi(dataDir: string, extra: Partial<ApiServices> = {}): TestApi {
  const services: ApiServices = {
    host: 'browser',
    settings: openConfSettings(dataDir),
    access: new AllowedFolders(),
    engine: createEngineServices(dataDir, { thumbnailDir: join(dataDir, 'Cache', 'thumbnails') }),
    ...extra,
  };
  const handlers = createHandlers(services);
  const internalErrors: TestApi['internalErrors'] = [];
  const events: TestApi['events'] = [];
  const context: RequestContext = { emit: (event, payload) => void events.push({ event, payload }) };
  return {
    services,
    internalErrors,
    events,
    close: async () => services.engine?.client.dispose(),
    call: (channel, request) =>
      dispatch(
        handlers,
        channel,
        request,
        context,
        (name, error) => void internalErrors.push({ channel: name, error }),
      ),
  };
}

/** Throws unless `result` is exactly one of the two Result shapes with a valid ApiError. */
export function assertWellFormedResult(result: unknown): asserts result is Result<unknown> {
  if (typeof result !== 'object' || result === null) throw new Error(`not a Result: ${String(result)}`);
  const r = result as Record<string, unknown>;
  if (r.ok === true) {
    if (!('value' in r) || Object.keys(r).length !== 2)
      throw new Error(`malformed ok Result: keys ${Object.keys(r).join(',')}`);
    return;
  }
  if (r.ok === false) {
    const parsed = ApiError.safeParse(r.error);
    if (!parsed.success || Object.keys(r).length !== 2)
      throw new Error(`malformed error Result: ${JSON.stringify(r).slice(0, 300)}`);
    if (/\n\s+at .+:\d+:\d+/.test(parsed.data.message))
      throw new Error(`error message carries a stack trace: ${parsed.data.message.slice(0, 300)}`);
    return;
  }
  throw new Error(`Result without a boolean ok: ${JSON.stringify(r).slice(0, 300)}`);
}

export function valueOf<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}
