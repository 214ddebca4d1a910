// The native menu. Items only raise intents; main.ts decides what they do (a dialog, an event to
// the renderer), so the menu stays a declarative table of labels and shortcuts.
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { AppView } from '../../src-shared/schemas/app.js';

export interface MenuActions {
  openFolder(): void;
  navigate(view: AppView): void;
  about(): void;
}

export function buildMenu(actions: MenuActions, options: { isMac: boolean; devTools: boolean }): Menu {
  const view = (label: string, target: AppView, accelerator: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => actions.navigate(target),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(options.isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open Folder…', accelerator: 'CmdOrCtrl+O', click: () => actions.openFolder() },
        { type: 'separator' },
        view('Settings…', 'settings', 'CmdOrCtrl+,'),
        { type: 'separator' },
        options.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        view('Library', 'library', 'CmdOrCtrl+1'),
        view('Compare', 'compare', 'CmdOrCtrl+2'),
        view('Queue', 'queue', 'CmdOrCtrl+3'),
        view('Train', 'train', 'CmdOrCtrl+4'),
        view('Models', 'models', 'CmdOrCtrl+5'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
        ...(options.devTools
          ? [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }]
          : []),
      ],
    },
    {
      role: 'help',
      submenu: [{ label: 'About Clearframe', click: () => actions.about() }],
    },
  ];
  return Menu.buildFromTemplate(template);
}
