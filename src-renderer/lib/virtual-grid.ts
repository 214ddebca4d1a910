// Window maths for the thumbnail grid: fixed-size cells, so only the rows in view (plus a buffer)
// are rendered and nothing jumps while thumbnails load.
export interface GridMetrics {
  columns: number;
  rows: number;
  totalHeight: number;
  firstIndex: number;
  /** One past the last rendered item. */
  endIndex: number;
}

export function gridWindow(
  count: number,
  width: number,
  cellWidth: number,
  cellHeight: number,
  scrollTop: number,
  viewportHeight: number,
  bufferRows = 2,
): GridMetrics {
  const columns = Math.max(1, Math.floor(width / cellWidth));
  const rows = Math.ceil(count / columns);
  const firstRow = Math.max(0, Math.floor(scrollTop / cellHeight) - bufferRows);
  const lastRow = Math.min(rows - 1, Math.ceil((scrollTop + viewportHeight) / cellHeight) + bufferRows);
  const firstIndex = Math.min(count, firstRow * columns);
  const endIndex = Math.min(count, (lastRow + 1) * columns);
  return { columns, rows, totalHeight: rows * cellHeight, firstIndex, endIndex: Math.max(firstIndex, endIndex) };
}

/** The scrollTop that brings row `row` fully into view, or null when it already is. */
export function scrollToRow(row: number, cellHeight: number, scrollTop: number, viewportHeight: number): number | null {
  const top = row * cellHeight;
  if (top < scrollTop) return top;
  if (top + cellHeight > scrollTop + viewportHeight) return top + cellHeight - viewportHeight;
  return null;
}
