// The browser host's gatekeeping, as pure functions over request parts so it is unit tested
// without sockets. See server.ts for the handshake these implement.
import { randomBytes, timingSafeEqual } from 'node:crypto';

export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Cookies on 127.0.0.1 are shared by every port: the port in the name keeps two hosts apart. */
export function tokenCookieName(port: number): string {
  return `clearframe_token_${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return cookies;
}

function sameToken(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface RequestParts {
  url: URL;
  cookieHeader: string | undefined;
  hostHeader: string | undefined;
}

export type TokenSource = 'query' | 'cookie';

export class HostGate {
  readonly #allowedHosts: ReadonlySet<string>;
  readonly #allowedOrigins: ReadonlySet<string>;

  /**
   * @param extraOrigins origins besides the host's own whose pages may connect (Vite's dev server
   * in `npm run dev`, which proxies /ws here with its own Host and Origin).
   */
  constructor(
    readonly token: string,
    readonly port: number,
    extraOrigins: readonly string[] = [],
  ) {
    const own = [`127.0.0.1:${port}`, `localhost:${port}`];
    const extra = extraOrigins.map((origin) => new URL(origin).host);
    this.#allowedHosts = new Set([...own, ...extra]);
    this.#allowedOrigins = new Set([
      ...own.map((host) => `http://${host}`),
      ...extraOrigins.map((o) => new URL(o).origin),
    ]);
  }

  /**
   * A Host header naming us defeats DNS rebinding: a page at evil.example resolving to 127.0.0.1
   * still sends Host: evil.example.
   */
  hostAllowed(hostHeader: string | undefined): boolean {
    return hostHeader !== undefined && this.#allowedHosts.has(hostHeader.toLowerCase());
  }

  originAllowed(originHeader: string | undefined): boolean {
    return originHeader !== undefined && this.#allowedOrigins.has(originHeader.toLowerCase());
  }

  /** Where the valid token came from, or undefined when the request must be refused (401). */
  authenticate(parts: RequestParts): TokenSource | undefined {
    if (!this.hostAllowed(parts.hostHeader)) return undefined;
    if (sameToken(parts.url.searchParams.get('token'), this.token)) return 'query';
    if (sameToken(parseCookies(parts.cookieHeader).get(tokenCookieName(this.port)), this.token)) return 'cookie';
    return undefined;
  }
}
