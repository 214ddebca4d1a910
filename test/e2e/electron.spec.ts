// The library story in the real desktop shell, through Playwright's Electron driver. Runs against
// the development app (`electron .`) when Electron's binary is installed, or against a packaged app
// when CLEARFRAME_ELECTRON_EXECUTABLE points at it (release workflow; driven over CDP because its
// inspect fuse is off, see electron-launch.ts). Skipped otherwise.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchDesktop, type DesktopApp } from './electron-launch.js';
import { copyImages, expect, repoRoot, samples, test } from './fixtures.js';

/** Electron's executable from node_modules/electron (path.txt appears once the binary is downloaded). */
function devElectronBinary(): string | undefined {
  const pathFile = join(repoRoot, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(repoRoot, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const packaged = process.env.CLEARFRAME_ELECTRON_EXECUTABLE;
const executable = packaged ?? devElectronBinary();

export const ELECTRON_MISSING =
  "Electron's binary is not installed here (node_modules/electron/dist is missing; `npx install-electron` fetches it)";
// Where the binary can be had (GitHub's runners), CI sets CLEARFRAME_REQUIRE_ELECTRON=1: a missing
// binary then fails the run instead of skipping the desktop app unseen.
if (executable === undefined && process.env.CLEARFRAME_REQUIRE_ELECTRON === '1')
  throw new Error(`${ELECTRON_MISSING}, and CLEARFRAME_REQUIRE_ELECTRON=1 asks for it.`);
test.skip(executable === undefined, `${ELECTRON_MISSING}.`);

async function launch(dataDir: string, folder?: string): Promise<DesktopApp> {
  const args = packaged ? [] : ['.'];
  if (folder) args.push(folder);
  if (process.platform === 'linux') args.push('--no-sandbox'); // CI containers lack user namespaces
  return launchDesktop({
    executable: executable!,
    packaged: packaged !== undefined,
    args,
    cwd: repoRoot,
    // XDG_DATA_HOME: the recently-used list the app adds opened folders to on Linux, kept out of the real home.
    env: { ...process.env, CLEARFRAME_DATA_DIR: dataDir, XDG_DATA_HOME: join(dataDir, 'xdg-data') },
  });
}

test('opens a folder given on the command line and shows its photos and details', async ({ tempDir }) => {
  const folder = await copyImages(join(samples, 'grey'), join(tempDir, 'set12'), 6);
  const app = await launch(join(tempDir, 'data'), folder);
  try {
    const window = await app.firstWindow();
    expect(window.url()).toMatch(/^clearframe:\/\/app\//);
    await expect(window.getByTestId('library-count')).toContainText('6', { timeout: 30_000 });
    await window.getByTestId('thumbnail').filter({ hasText: '03.png' }).click();
    await expect(window.getByTestId('details-dimensions')).toHaveText('256 × 256 px');
    // What the page can reach: the three bridge functions, and no Node (isolation + sandbox).
    const reach = await window.evaluate(() => {
      const scope = globalThis as { clearframe?: object; require?: unknown; process?: unknown };
      return {
        bridge: Object.keys(scope.clearframe ?? {}).sort(),
        require: typeof scope.require,
        process: typeof scope.process,
      };
    });
    expect(reach).toEqual({ bridge: ['invoke', 'on', 'pathForFile'], require: 'undefined', process: 'undefined' });
    // The Queue offers no "Notify me": the page's notifications are denied here, and the main process notifies natively.
    await window.getByTestId('library-denoise').click();
    await expect(window.getByTestId('notifications-on')).toContainText(
      'Clearframe notifies you when a long batch finishes',
    );
    await expect(window.getByTestId('enable-notifications')).toHaveCount(0);
    if (process.platform === 'linux') {
      // The opened folder joined the desktop's recently-used list (GNOME Files' Recent), as Clearframe's.
      const list = join(tempDir, 'data', 'xdg-data', 'recently-used.xbel');
      await expect
        .poll(() => readFile(list, 'utf8').catch(() => ''))
        .toContain(`<bookmark href="${pathToFileURL(realpathSync(folder)).href}"`);
      expect(await readFile(list, 'utf8')).toContain('<bookmark:application name="Clearframe"');
    }
  } finally {
    await app.close();
  }
});

test('a typed path that does not exist shows a clear error', async ({ tempDir }) => {
  const app = await launch(join(tempDir, 'data'));
  try {
    const window = await app.firstWindow();
    const missing = join(tempDir, 'missing');
    await window.getByTestId('open-folder-path').fill(missing);
    await window.getByTestId('open-folder-submit').click();
    await expect(window.getByTestId('error-message')).toContainText(missing);
  } finally {
    await app.close();
  }
});
