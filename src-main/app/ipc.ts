// The contract over Electron IPC: one ipcMain.handle for every channel, which refuses frames that
// are not our own page before dispatch() validates the request. Events go to every window.
import { BrowserWindow, ipcMain } from 'electron';
import { dispatch, type Handlers, type RequestContext } from '../api/dispatch.js';
import type { EventName, EventPayload, Result } from '../../src-shared/contract.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './ipc-names.js';
import { isAppUrl } from './trust.js';

export function emitToAllWindows<E extends EventName>(event: E, payload: EventPayload<E>): void {
  for (const window of BrowserWindow.getAllWindows()) {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event, payload);
  }
}

/** `observe` sees every event too (the taskbar progress and notifications, desktop-feedback.ts). */
export function serveContractOverIpc(handlers: Handlers, observe?: RequestContext['emit']): void {
  const context: RequestContext = {
    emit: (event, payload) => {
      emitToAllWindows(event, payload);
      observe?.(event, payload);
    },
  };
  ipcMain.handle(INVOKE_CHANNEL, async (event, channel: unknown, request: unknown): Promise<Result<unknown>> => {
    if (!isAppUrl(event.senderFrame?.url)) {
      return {
        ok: false,
        error: { code: 'forbidden', message: 'Requests are accepted only from the Clearframe window.' },
      };
    }
    if (typeof channel !== 'string') {
      return { ok: false, error: { code: 'invalid-request', message: 'The channel name must be a string.' } };
    }
    return dispatch(handlers, channel, request, context);
  });
}
