// Electron's main process: the only module tree that imports 'electron'. It wires the shared api
// handlers to IPC, loads the renderer from our own scheme, and applies the security checklist.
// Everything that can be decided without Electron lives in small modules beside this one
// (window-state, trust, argv, image-protocol) and is unit tested.
import { join, resolve } from 'node:path';
import { app, BrowserWindow, crashReporter, dialog, Menu, Notification, session, shell } from 'electron';
import { AllowedFolders } from '../access/allowed-folders.js';
import { createHandlers } from '../api/index.js';
import type { ApiServices } from '../api/services.js';
import { createEngineServices } from '../engine-client/engine-services.js';
import { utilityEngine } from './engine-transport.js';
import { appPackage } from '../resources.js';
import { contentSecurityPolicy } from '../security/csp.js';
import { openTargetFromArgv, type OpenTarget } from './argv.js';
import { APP_USER_MODEL_ID, DesktopFeedback } from './desktop-feedback.js';
import { openElectronSettings, openWindowStateStore } from './electron-settings.js';
import { hardenAllWebContents, hardenSession } from './hardening.js';
import { emitToAllWindows, serveContractOverIpc } from './ipc.js';
import { buildMenu } from './menu.js';
import { handleProtocols, registerSchemes } from './protocols.js';
import { recordingOpenedFolders } from './recent-folders.js';
import { launchCommand, recentlyUsedRecorder } from './recently-used-xbel.js';
import { IMAGE_SCHEME } from './trust.js';
import { createMainWindow } from './window.js';

// First, so settings, caches and crash dumps all follow it (tests and portable setups use it).
if (process.env.CLEARFRAME_DATA_DIR) app.setPath('userData', resolve(process.env.CLEARFRAME_DATA_DIR));

// Crash dumps stay on this machine (userData/Crashpad); nothing is uploaded anywhere.
crashReporter.start({ uploadToServer: false });

// Windows shows toasts (desktop-feedback.ts) only for the ID its Start-menu shortcut carries.
if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

if (!app.requestSingleInstanceLock()) {
  // Another Clearframe is running: it receives our argv through 'second-instance'.
  app.quit();
} else {
  registerSchemes();
  hardenAllWebContents();
  let mainWindow: BrowserWindow | undefined;
  let services: ApiServices | undefined;

  /** Opens a folder in the renderer, as if the user had chosen it there, with the photo named (if any) selected. */
  const openFolderInWindow = ({ folder, file }: OpenTarget): void => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    emitToAllWindows('app:openFolder', file === undefined ? { folder } : { folder, select: file });
  };

  // Taskbar / dock progress of a batch and a notification when long work ends (desktop-feedback.ts).
  const feedback = new DesktopFeedback({
    setProgress: (fraction) => mainWindow?.setProgressBar(fraction ?? -1),
    notify: (title, body) => {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
    isFocused: () => mainWindow?.isFocused() ?? false,
  });

  const pickFolder = async (): Promise<string | null> => {
    const options = { title: 'Open a folder of photos', properties: ['openDirectory' as const] };
    const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };

  const showAbout = (): void => {
    const pkg = appPackage();
    const detail = [
      `Version ${pkg.version}`,
      `Electron ${process.versions.electron}`,
      `Chromium ${process.versions.chrome}`,
      `Node ${process.versions.node}`,
    ].join('\n');
    const options = {
      type: 'info' as const,
      title: 'About Clearframe',
      message: 'Clearframe',
      detail,
      buttons: ['OK'],
    };
    void (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options));
  };

  app.on('second-instance', (_event, argv, workingDirectory) => {
    const target = openTargetFromArgv(argv, workingDirectory, app.getAppPath());
    if (target) openFolderInWindow(target);
    else if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  app
    .whenReady()
    .then(() => {
      const access = new AllowedFolders();
      services = {
        host: 'electron',
        settings: openElectronSettings(),
        access,
        pickFolder,
        showInFolder: (path) => shell.showItemInFolder(path),
        engine: createEngineServices(app.getPath('userData'), { makeTransport: utilityEngine }),
        hostVersions: { electron: process.versions.electron, chrome: process.versions.chrome },
      };
      const csp = contentSecurityPolicy({ img: [`${IMAGE_SCHEME}:`] });
      hardenSession(session.defaultSession, csp);
      handleProtocols(session.defaultSession, join(app.getAppPath(), 'dist', 'renderer'), access, csp);
      serveContractOverIpc(
        recordingOpenedFolders(
          createHandlers(services),
          process.platform === 'linux'
            ? recentlyUsedRecorder(
                launchCommand(process.env.APPIMAGE ?? process.execPath, app.isPackaged ? undefined : app.getAppPath()),
              )
            : (folder) => app.addRecentDocument(folder),
        ),
        (event, payload) => feedback.observe(event, payload),
      );

      Menu.setApplicationMenu(
        buildMenu(
          {
            openFolder: () => void pickFolder().then((folder) => folder && openFolderInWindow({ folder })),
            navigate: (view) => emitToAllWindows('app:navigate', { view }),
            about: showAbout,
          },
          { isMac: process.platform === 'darwin', devTools: !app.isPackaged },
        ),
      );

      mainWindow = createMainWindow(
        join(app.getAppPath(), 'dist', 'node', 'src-main', 'app', 'preload.cjs'),
        openWindowStateStore(),
      );
      mainWindow.on('closed', () => {
        mainWindow = undefined;
      });
      const initial = openTargetFromArgv(process.argv, process.cwd(), app.getAppPath());
      if (initial) mainWindow.webContents.once('did-finish-load', () => openFolderInWindow(initial));
    })
    .catch((error: unknown) => {
      dialog.showErrorBox('Clearframe could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });

  app.on('window-all-closed', () => app.quit());

  // Quitting (the menu, the last window closed, a signal, the OS logging out) ends the engine the way
  // Stop does: a training run saves a checkpoint and its model before the app goes. The quit is
  // held until the engine has exited, then asked for again.
  let engineEnded = false;
  app.on('before-quit', (event) => {
    const engine = services?.engine;
    if (engineEnded || !engine) return;
    event.preventDefault();
    engineEnded = true;
    void engine.client.dispose().finally(() => app.quit());
  });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => app.quit());
}
