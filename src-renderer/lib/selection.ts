// Multi-selection like a file manager: click selects one, Ctrl/Cmd+click toggles, Shift+click
// selects the range from the anchor (the last plain or toggled click) in the current order.
export interface Selection {
  selected: ReadonlySet<string>;
  anchor: string | null;
}

export interface ClickModifiers {
  shift: boolean;
  toggle: boolean;
}

export function clickSelect(
  state: Selection,
  order: readonly string[],
  target: string,
  mods: ClickModifiers,
): Selection {
  if (mods.shift && state.anchor !== null) {
    const from = order.indexOf(state.anchor);
    const to = order.indexOf(target);
    if (from >= 0 && to >= 0) {
      const [lo, hi] = from <= to ? [from, to] : [to, from];
      const range = order.slice(lo, hi + 1);
      const selected = new Set(mods.toggle ? state.selected : []);
      for (const id of range) selected.add(id);
      return { selected, anchor: state.anchor };
    }
  }
  if (mods.toggle) {
    const selected = new Set(state.selected);
    if (selected.has(target)) selected.delete(target);
    else selected.add(target);
    return { selected, anchor: target };
  }
  return { selected: new Set([target]), anchor: target };
}

/** Keeps only ids still present (after a filter or a reload). */
export function pruneSelection(state: Selection, present: ReadonlySet<string>): Selection {
  const selected = new Set([...state.selected].filter((id) => present.has(id)));
  const anchor = state.anchor !== null && present.has(state.anchor) ? state.anchor : null;
  return { selected, anchor };
}
