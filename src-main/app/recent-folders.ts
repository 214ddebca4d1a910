// Folders the user opens go to the OS's recent list too, so a folder opened yesterday is one click
// away there: on Linux the freedesktop.org recently-used list (recently-used-xbel.ts: GNOME Files'
// Recent, GTK file choosers); elsewhere Electron's app.addRecentDocument (the dock menu on macOS; on
// Windows the system's recent items, though the jump list shows only file types the installer
// registers, which folders are not). The api keeps its own list in the settings; this wraps
// library:open in the desktop shell only, and adds the folder as the engine listed it (real path),
// once the open has succeeded.
import type { Handlers } from '../api/dispatch.js';

export function recordingOpenedFolders(
  handlers: Handlers,
  addRecent: (folder: string) => void | Promise<void>,
): Handlers {
  const open = handlers['library:open'];
  return {
    ...handlers,
    'library:open': async (request, context) => {
      const listing = await open(request, context);
      // Not awaited, and a failure only logged: the OS list is a convenience, which must neither
      // delay nor fail the open.
      void Promise.resolve()
        .then(() => addRecent(listing.folder))
        .catch((error: unknown) =>
          console.warn(
            `[recent] could not add ${listing.folder} to the OS's recent list: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
      return listing;
    },
  };
}
