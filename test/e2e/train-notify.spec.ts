// The end of a long training run reaches a browser user whose tab is in the background: once asked
// ("Notify me" in the Train view), the page shows a web notification with long-work.ts's title (the
// desktop shell notifies from its main process instead: desktop-feedback.ts), and the Queue, sharing
// the permission, asks no more. The run is tiny; the product's rule is kept by letting the page's
// clock move on by LONG_WORK_SECONDS before the run's end reaches the page, so the run lasted that
// long as the page measures it.
import { join } from 'node:path';
import { LONG_WORK_SECONDS } from '../../src-shared/long-work.js';
import { copyImages, expect, samples, test } from './fixtures.js';
import { startTinyRun } from './train-form.js';

test.use({ colorScheme: 'dark' });

interface Shown {
  title: string;
  body: string | undefined;
}

/** Whether a message from the host is the train:progress event that ends a run. */
function endsRun(message: string | Buffer): boolean {
  if (typeof message !== 'string') return false;
  const pushed = JSON.parse(message) as { event?: string; payload?: { phase?: string } };
  return pushed.event === 'train:progress' && ['done', 'stopped', 'failed'].includes(pushed.payload?.phase ?? '');
}

test('in a browser, "Notify me" in Train notifies when a long run ends while the tab is in the background', async ({
  page,
  tempDir,
}) => {
  test.setTimeout(240_000);
  await page.context().grantPermissions(['notifications']);
  // The tab is in the background; every notification the page makes is still made, and recorded.
  await page.addInitScript(() => {
    document.hasFocus = () => false;
    const shown: Shown[] = [];
    Object.assign(window, { shownNotifications: shown });
    window.Notification = class extends Notification {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push({ title, body: options?.body });
      }
    };
  });
  await page.clock.install();
  // The run's last event reaches the page only after its clock moved on: in order, nothing else held.
  await page.routeWebSocket(/\/ws\b/, (socket) => {
    const host = socket.connectToServer();
    let delivered = Promise.resolve();
    host.onMessage((message) => {
      delivered = delivered.then(async () => {
        if (endsRun(message)) await page.clock.fastForward(LONG_WORK_SECONDS * 1000);
        socket.send(message);
      });
    });
  });
  await page.reload();

  const data = await copyImages(join(samples, 'grey'), join(tempDir, 'tiny'), 4);
  await page.getByRole('link', { name: 'Train' }).click();
  await expect(page.getByTestId('notifications-on')).toHaveCount(0);
  await page.getByTestId('enable-notifications').click();
  await expect(page.getByTestId('notifications-on')).toHaveText(
    'You will get a notification when a long training run finishes while this tab is in the background.',
  );
  await page.screenshot({ path: 'test-results/screenshots/train-notify.png' });

  await startTinyRun(page, { data, epochs: 1, name: 'E2E notify' });

  await expect(page.getByTestId('train-phase')).toHaveAttribute('data-phase', 'done', { timeout: 180_000 });
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { shownNotifications: Shown[] }).shownNotifications))
    .toEqual([{ title: 'Clearframe: Training finished', body: '2 of 2 steps' }]);

  // One permission for the page: the Queue asks no more, and says it will notify of a long batch too.
  await page.getByRole('link', { name: 'Library' }).click();
  await page.getByTestId('open-folder-path').fill(data);
  await page.getByTestId('open-folder-submit').click();
  await expect(page.getByTestId('thumbnail').first()).toBeVisible();
  await page.getByTestId('library-denoise').click();
  await expect(page.getByTestId('notifications-on')).toHaveText(
    'You will get a notification when a long batch finishes while this tab is in the background.',
  );
  await expect(page.getByTestId('enable-notifications')).toHaveCount(0);
});
