// The only bridge between the sandboxed renderer and the main process. It exposes a small domain
// API, never ipcRenderer itself: the renderer cannot send on arbitrary IPC channels, and listeners
// receive only the payload, never the IpcRendererEvent (which would leak `sender`).
// Bundled to CommonJS by scripts/build-preload.mjs (sandboxed preloads cannot import modules).
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './ipc-names.js';

type Listener = (payload: unknown) => void;

contextBridge.exposeInMainWorld('clearframe', {
  invoke: (channel: string, request: unknown): Promise<unknown> => ipcRenderer.invoke(INVOKE_CHANNEL, channel, request),
  on(event: string, listener: Listener): () => void {
    const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, forward);
  },
  /** Electron ≥ 32 removed File.path; dropped folders reach the library through this. */
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
});
