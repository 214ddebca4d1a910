/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { gridWindow, scrollToRow } from '../../../src-renderer/lib/virtual-grid.js';

describe('gridWindow', () => {
  it('renders only the visible rows plus the buffer for 5,000 photos', () => {
    const w = gridWindow(5000, 1000, 200, 220, 220 * 100, 660, 2);
    expect(w.columns).toBe(5);
    expect(w.rows).toBe(1000);
    expect(w.totalHeight).toBe(220_000);
    expect(w.firstIndex).toBe(98 * 5);
    expect(w.endIndex).toBe((103 + 2 + 1) * 5);
    expect(w.endIndex - w.firstIndex).toBeLessThan(50);
  });
  it('clamps at both ends and never yields a negative window', () => {
    expect(gridWindow(3, 1000, 200, 220, 0, 660)).toMatchObject({ columns: 5, rows: 1, firstIndex: 0, endIndex: 3 });
    expect(gridWindow(0, 1000, 200, 220, 0, 660)).toMatchObject({ firstIndex: 0, endIndex: 0, totalHeight: 0 });
    expect(gridWindow(10, 50, 200, 220, 0, 660).columns).toBe(1);
  });
});

describe('scrollToRow', () => {
  it('scrolls up or down just enough and leaves visible rows alone', () => {
    expect(scrollToRow(2, 100, 500, 300)).toBe(200);
    expect(scrollToRow(9, 100, 500, 300)).toBe(700);
    expect(scrollToRow(6, 100, 500, 300)).toBeNull();
  });
});
