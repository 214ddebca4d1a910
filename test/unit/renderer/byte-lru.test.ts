import { describe, expect, it } from 'vitest';
import { ByteLru } from '../../../src-renderer/lib/byte-lru.js';

describe('ByteLru', () => {
  const cache = (): ByteLru<Uint8Array> => new ByteLru<Uint8Array>(100, (v) => v.byteLength);
  it('evicts the least recently used entries once the bytes exceed the limit', () => {
    const c = cache();
    c.set('a', new Uint8Array(40));
    c.set('b', new Uint8Array(40));
    expect(c.get('a')).toBeDefined(); // a is now the most recent
    c.set('c', new Uint8Array(40));
    expect(c.has('b')).toBe(false);
    expect(c.has('a')).toBe(true);
    expect(c.has('c')).toBe(true);
    expect(c.bytes).toBe(80);
  });
  it('replacing a key counts its new size only', () => {
    const c = cache();
    c.set('a', new Uint8Array(60));
    c.set('a', new Uint8Array(30));
    expect(c.bytes).toBe(30);
    expect(c.size).toBe(1);
  });
  it('keeps an entry larger than the limit until the next one comes', () => {
    const c = cache();
    c.set('a', new Uint8Array(10));
    c.set('big', new Uint8Array(150));
    expect(c.has('a')).toBe(false);
    expect(c.has('big')).toBe(true);
    c.set('b', new Uint8Array(10));
    expect(c.has('big')).toBe(false);
    expect(c.bytes).toBe(10);
  });
});
