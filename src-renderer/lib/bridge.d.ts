// What Electron's preload exposes on window (contextBridge). The renderer only ever talks to it
// through lib/api.ts, which validates every answer against the contract.
export interface ClearframeBridge {
  invoke(channel: string, request: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** Electron ≥ 32 hides File.path; the preload answers it through webUtils.getPathForFile. */
  pathForFile?(file: File): string;
}

declare global {
  interface Window {
    clearframe?: ClearframeBridge;
  }
}
