// Folders the user opens go to the OS's recent list too (the taskbar jump list on Windows, the dock
// menu on macOS, GNOME's recent files), so a folder opened yesterday is one click away there. The
// api keeps its own list in the settings; this wraps library:open in the desktop shell only, and
// adds the folder as the engine listed it (real path), once the open has succeeded.
import type { Handlers } from '../api/dispatch.js';

export function recordingOpenedFolders(handlers: Handlers, addRecent: (folder: string) => void): Handlers {
  const open = handlers['library:open'];
  return {
    ...handlers,
    'library:open': async (request, context) => {
      const listing = await open(request, context);
      try {
        addRecent(listing.folder);
      } catch {
        // The OS list is a convenience: a desktop without one must not fail the open.
      }
      return listing;
    },
  };
}
