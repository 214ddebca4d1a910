// How the end of a long batch reaches the user on this host; when it is worth it, and the words, are
// src-shared/long-work.ts's. In the desktop shell the main process notifies natively for every
// host window (desktop-feedback.ts) and the page's web notifications are denied, so there is
// nothing to ask; the browser host has only the page's web Notification API, which a browser opens
// only to a click ("Notify me"), and which it may have blocked for the page.

/** 'desktop': the desktop shell notifies (nothing to do here); 'ask': offer "Notify me"; 'web': the page notifies; 'blocked': the browser refuses; 'none': no notifications in this browser. */
export type NotificationRoute = 'desktop' | 'ask' | 'web' | 'blocked' | 'none';

/** The route for `host`, given the browser's permission (undefined: no Notification API) and whether the user asked for notifications. */
export function notificationRoute(
  host: 'electron' | 'browser',
  permission: NotificationPermission | undefined,
  asked: boolean,
): NotificationRoute {
  if (host === 'electron') return 'desktop';
  if (permission === undefined) return 'none';
  if (permission === 'denied') return 'blocked';
  return asked && permission === 'granted' ? 'web' : 'ask';
}

/** The page's notification permission, undefined where the browser has no Notification API. */
export function webNotificationPermission(): NotificationPermission | undefined {
  return typeof Notification === 'undefined' ? undefined : Notification.permission;
}
