// The page's notifications of long work (a batch in the Queue, a training run in Train): one
// permission and one "Notify me" for both, so asking in either view enables both. When the end is
// worth a notification and what it says are src-shared/long-work.ts's; the route per host is
// lib/notifications.ts's (the desktop shell's main process notifies by itself).
import { notifiesEnd } from '../../src-shared/long-work.js';
import { api } from '../lib/api.js';
import { notificationRoute, webNotificationPermission } from '../lib/notifications.js';

class NotificationsStore {
  /** The browser's notification permission, and whether the user asked for notifications ("Notify me"). */
  private permission = $state(webNotificationPermission());
  private asked = $state(false);
  /** How the end of long work reaches the user on this host. */
  route = $derived(notificationRoute(api.host, this.permission, this.asked));

  /** Asks for notification permission from a click (browsers refuse it otherwise). */
  async enable(): Promise<void> {
    if (this.route !== 'ask') return;
    this.asked = true;
    this.permission =
      Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
  }

  /** Work that began at `startedMs` has ended: the page notifies when it was long and the tab is in the background. */
  ended(startedMs: number, title: string, body: string): void {
    if (this.route === 'web' && notifiesEnd(startedMs, Date.now(), document.hasFocus())) {
      new Notification(`Clearframe: ${title}`, { body });
    }
  }
}

export const notifications = new NotificationsStore();
