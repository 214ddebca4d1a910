import { describe, expect, it } from 'vitest';
import { countOf } from '../../../src-renderer/lib/format.js';

describe('countOf', () => {
  it('puts the noun in the singular for one, the plural otherwise', () => {
    expect(countOf(1, 'photo')).toBe('1 photo');
    expect(countOf(0, 'photo')).toBe('0 photos');
    expect(countOf(200, 'photo')).toBe('200 photos');
    expect(countOf(2, 'batch', 'batches')).toBe('2 batches');
  });
});
