// Keyboard shortcuts: one table for the cheat sheet, and a guard so typing in a field never fires them.
export interface Shortcut {
  keys: string;
  action: string;
}

export const shortcutGroups: { title: string; items: Shortcut[] }[] = [
  {
    title: 'Everywhere',
    items: [
      { keys: 'Alt+1 … Alt+6', action: 'Library, Compare, Queue, Train, Models, Settings' },
      { keys: '?', action: 'Show or hide this list' },
      { keys: 'Esc', action: 'Close dialogs' },
    ],
  },
  {
    title: 'Library',
    items: [
      { keys: 'Ctrl+O', action: 'Focus the folder field' },
      { keys: 'Arrows', action: 'Move between photos' },
      { keys: 'Shift+Arrows', action: 'Extend the selection' },
      { keys: 'Space', action: 'Select or deselect the focused photo' },
      { keys: 'Ctrl+A', action: 'Select all shown photos' },
      { keys: 'Enter', action: 'Compare the focused photo' },
      { keys: 'Ctrl+Enter', action: 'Queue the selection for denoising' },
    ],
  },
  {
    title: 'Compare',
    items: [
      { keys: '← →', action: 'Move the divider (Shift: faster)' },
      { keys: 'Hold O', action: 'Show the original' },
      { keys: 'S', action: 'Switch split / side by side' },
      { keys: '+ −', action: 'Zoom in / out' },
      { keys: '0 · 1 · 2 · 4', action: 'Fit · 100% · 200% · 400%' },
      { keys: 'D', action: 'Save the full image, denoised' },
    ],
  },
];

export function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}
