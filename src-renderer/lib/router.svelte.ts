// Hash routes (#/library, #/compare …): they work the same when Electron loads the renderer from
// disk and when the browser host serves it, and they leave the host's ?token=… query alone.
export const views = ['library', 'compare', 'queue', 'train', 'models', 'settings'] as const;
export type View = (typeof views)[number];

export const viewLabels: Record<View, string> = {
  library: 'Library',
  compare: 'Compare',
  queue: 'Queue',
  train: 'Train',
  models: 'Models',
  settings: 'Settings',
};

function parse(hash: string): View {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (views as readonly string[]).includes(name) ? (name as View) : 'library';
}

class Router {
  current = $state<View>(parse(window.location.hash));

  constructor() {
    window.addEventListener('hashchange', () => {
      this.current = parse(window.location.hash);
    });
  }

  go(view: View): void {
    window.location.hash = `#/${view}`;
  }
}

export const router = new Router();
