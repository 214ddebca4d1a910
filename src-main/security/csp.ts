// The Content-Security-Policy both hosts send with the renderer's page. One builder so the browser
// host and Electron cannot drift apart; each adds only the sources it really needs (the WebSocket
// for the browser host, the image protocol for Electron).
export interface CspSources {
  /** Extra connect-src entries (e.g. ws://127.0.0.1:PORT; 'self' alone is not honoured for ws: everywhere). */
  connect?: readonly string[];
  /** Extra img-src entries (e.g. clearframe-image:). */
  img?: readonly string[];
}

export function contentSecurityPolicy(sources: CspSources = {}): string {
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    // Svelte writes style attributes while rendering templates; inline styles cannot run code.
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:', ...(sources.img ?? [])]],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', ["'self'", ...(sources.connect ?? [])]],
    ['worker-src', ["'self'", 'blob:']],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}
