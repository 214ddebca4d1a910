// Which notification path the Queue offers on each host (src-renderer/lib/notifications.ts): the
// desktop shell's main process notifies by itself, so the page never asks there; in a browser the
// page asks from a click, notifies once allowed, and says so when the browser blocks it.
import { describe, expect, it } from 'vitest';
import { notificationRoute } from '../../../src-renderer/lib/notifications.js';

describe('notificationRoute', () => {
  it('never asks in the desktop shell, whatever the page was told (its web notifications are denied there)', () => {
    for (const permission of ['default', 'granted', 'denied', undefined] as const) {
      expect(notificationRoute('electron', permission, false)).toBe('desktop');
      expect(notificationRoute('electron', permission, true)).toBe('desktop');
    }
  });

  it('in a browser: offers "Notify me", notifies once asked and allowed, and says when notifications are blocked', () => {
    expect(notificationRoute('browser', 'default', false)).toBe('ask');
    expect(notificationRoute('browser', 'granted', false)).toBe('ask'); // allowed earlier, not asked for this time
    expect(notificationRoute('browser', 'granted', true)).toBe('web');
    expect(notificationRoute('browser', 'default', true)).toBe('ask'); // the prompt was dismissed: ask again
    expect(notificationRoute('browser', 'denied', false)).toBe('blocked');
    expect(notificationRoute('browser', undefined, false)).toBe('none');
  });
});
