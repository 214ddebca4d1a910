// The main window: remembered size and position (made visible on today's displays), and the
// webPreferences of Electron's security checklist.
import { BrowserWindow, screen } from 'electron';
import type { WindowStateStore } from './electron-settings.js';
import { APP_ENTRY_URL } from './trust.js';
import { MIN_SIZE, restoreBounds } from './window-state.js';

export function createMainWindow(preloadPath: string, state: WindowStateStore): BrowserWindow {
  const saved = state.load();
  const workAreas = [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map((display) => display.workArea);
  const window = new BrowserWindow({
    ...restoreBounds(saved?.bounds, workAreas),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Clearframe',
    backgroundColor: '#1b1d21',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (saved?.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  const remember = (): void => {
    if (window.isDestroyed()) return;
    state.save({ bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  };
  window.on('close', remember);
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
