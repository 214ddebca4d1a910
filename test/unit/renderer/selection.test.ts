/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { clickSelect, pruneSelection, type Selection } from '../../../src-renderer/lib/selection.js';

const order = ['a', 'b', 'c', 'd', 'e'];
const none: Selection = { selected: new Set(), anchor: null };
const plain = { shift: false, toggle: false };

describe('clickSelect', () => {
  it('a plain click selects only the target and sets the anchor', () => {
    const s = clickSelect({ selected: new Set(['a', 'b']), anchor: 'a' }, order, 'c', plain);
    expect([...s.selected]).toEqual(['c']);
    expect(s.anchor).toBe('c');
  });
  it('shift-click selects the range from the anchor in either direction', () => {
    const first = clickSelect(none, order, 'd', plain);
    expect([...clickSelect(first, order, 'b', { shift: true, toggle: false }).selected].sort()).toEqual([
      'b',
      'c',
      'd',
    ]);
    expect([...clickSelect(first, order, 'e', { shift: true, toggle: false }).selected].sort()).toEqual(['d', 'e']);
  });
  it('ctrl-click toggles without losing the rest', () => {
    let s = clickSelect(none, order, 'a', plain);
    s = clickSelect(s, order, 'c', { shift: false, toggle: true });
    expect([...s.selected].sort()).toEqual(['a', 'c']);
    s = clickSelect(s, order, 'a', { shift: false, toggle: true });
    expect([...s.selected]).toEqual(['c']);
  });
  it('ctrl+shift adds a range to the existing selection', () => {
    let s = clickSelect(none, order, 'a', plain);
    s = clickSelect(s, order, 'c', { shift: false, toggle: true });
    s = clickSelect(s, order, 'e', { shift: true, toggle: true });
    expect([...s.selected].sort()).toEqual(['a', 'c', 'd', 'e']);
  });
  it('prunes ids that disappeared', () => {
    const s = pruneSelection({ selected: new Set(['a', 'x']), anchor: 'x' }, new Set(order));
    expect([...s.selected]).toEqual(['a']);
    expect(s.anchor).toBeNull();
  });
});
