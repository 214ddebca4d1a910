import { describe, expect, it } from 'vitest';
import { createToken, HostGate, tokenCookie } from '../../src-main/host/auth.js';
import { contentSecurityPolicy } from '../../src-main/security/csp.js';

describe('HostGate', () => {
  const token = createToken();
  const gate = new HostGate(token, 4321, ['http://127.0.0.1:5173']);
  const parts = (path: string, cookieHeader?: string, hostHeader = '127.0.0.1:4321') => ({
    url: new URL(path, 'http://127.0.0.1:4321'),
    cookieHeader,
    hostHeader,
  });

  it('makes long random tokens', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createToken()).not.toBe(token);
  });

  it('accepts the token from the query or from this port’s cookie only', () => {
    expect(gate.authenticate(parts(`/?token=${token}`))).toBe('query');
    expect(gate.authenticate(parts('/', `a=1; clearframe_token_4321=${token}`))).toBe('cookie');
    expect(gate.authenticate(parts('/', `clearframe_token_9999=${token}`))).toBeUndefined();
    expect(gate.authenticate(parts(`/?token=${token.slice(1)}`))).toBeUndefined();
    expect(gate.authenticate(parts('/'))).toBeUndefined();
  });

  it('refuses a valid token sent to a foreign Host name', () => {
    expect(gate.authenticate(parts(`/?token=${token}`, undefined, 'evil.example:4321'))).toBeUndefined();
    expect(gate.authenticate(parts(`/?token=${token}`, undefined, 'localhost:4321'))).toBe('query');
    expect(gate.authenticate(parts(`/?token=${token}`, undefined, '127.0.0.1:5173'))).toBe('query');
  });

  it('allows only our own origins and the configured dev origin on the socket', () => {
    expect(gate.originAllowed('http://127.0.0.1:4321')).toBe(true);
    expect(gate.originAllowed('http://localhost:4321')).toBe(true);
    expect(gate.originAllowed('http://127.0.0.1:5173')).toBe(true);
    expect(gate.originAllowed('http://127.0.0.1:4322')).toBe(false);
    expect(gate.originAllowed('null')).toBe(false);
    expect(gate.originAllowed(undefined)).toBe(false);
  });

  it('writes an HttpOnly, SameSite=Strict cookie', () => {
    expect(tokenCookie(4321, 'abc')).toBe('clearframe_token_4321=abc; HttpOnly; SameSite=Strict; Path=/');
  });
});

describe('contentSecurityPolicy', () => {
  it('allows only our own scripts and adds the sources a host asks for', () => {
    const csp = contentSecurityPolicy({ connect: ['ws://127.0.0.1:1'], img: ['clearframe-image:'] });
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:1");
    expect(csp).toContain("img-src 'self' data: blob: clearframe-image:");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
