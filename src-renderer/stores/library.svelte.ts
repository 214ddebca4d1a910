// The opened folder: its images, the sort/filter applied to them, and the multi-selection.
import type { ApiError } from '../../src-shared/contract.js';
import type { ImageEntry, SkippedFile } from '../../src-shared/schemas/library.js';
import { invoke, on } from '../lib/api.js';
import { clickSelect, pruneSelection, type ClickModifiers } from '../lib/selection.js';

export type SortKey = 'name' | 'date' | 'format' | 'size';
export type PhotoStatus = 'queued' | 'denoised' | 'failed';

function compare(a: ImageEntry, b: ImageEntry, key: SortKey): number {
  switch (key) {
    case 'date':
      return a.modifiedMs - b.modifiedMs;
    case 'format':
      return (
        a.format.localeCompare(b.format) || a.relativePath.localeCompare(b.relativePath, undefined, { numeric: true })
      );
    case 'size':
      return a.sizeBytes - b.sizeBytes;
    default:
      return a.relativePath.localeCompare(b.relativePath, undefined, { numeric: true });
  }
}

/**
 * Badges after a (re)listing: "denoised" wherever the photo's copy is on disk (so it survives a restart
 * and a cancel, and goes when the copy is deleted); "failed" where the host remembers the photo's last
 * denoise failed (lastFailure, kept across restarts) or this session saw it fail; "queued" is this
 * session's memory of batches, kept for photos still listed.
 */
function statusesFromDisk(
  images: readonly ImageEntry[],
  session: ReadonlyMap<string, PhotoStatus>,
): ReadonlyMap<string, PhotoStatus> {
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built here, published whole ($state.raw)
  const next = new Map<string, PhotoStatus>();
  for (const image of images) {
    const remembered = session.get(image.path);
    if (image.denoisedCopy) next.set(image.path, 'denoised');
    else if (remembered === 'queued' || remembered === 'failed') next.set(image.path, remembered);
    else if (image.lastFailure) next.set(image.path, 'failed');
  }
  return next;
}

class LibraryStore {
  folder = $state<string | null>(null);
  recursive = $state(false);
  images = $state.raw<ImageEntry[]>([]);
  skipped = $state.raw<SkippedFile[]>([]);
  loading = $state(false);
  error = $state<ApiError | null>(null);

  sortKey = $state<SortKey>('name');
  sortAscending = $state(true);
  filterText = $state('');
  formatFilter = $state<string>('all');

  selected = $state.raw<ReadonlySet<string>>(new Set());
  anchor = $state<string | null>(null);
  /** The item keyboard navigation moves from (and the one whose details are shown). */
  focused = $state<string | null>(null);
  statuses = $state.raw<ReadonlyMap<string, PhotoStatus>>(new Map());
  /** The photo the Compare view shows. */
  comparePath = $state<string | null>(null);
  /** Photos handed to the Queue view by "Denoise selected" (empty = the whole folder). */
  queueDraft = $state.raw<readonly string[]>([]);

  formats = $derived([...new Set(this.images.map((i) => i.format))].sort());

  visible = $derived.by(() => {
    const needle = this.filterText.trim().toLowerCase();
    const list = this.images.filter(
      (i) =>
        (this.formatFilter === 'all' || i.format === this.formatFilter) &&
        (!needle || i.relativePath.toLowerCase().includes(needle)),
    );
    return this.inGridOrder(list);
  });

  visiblePaths = $derived(this.visible.map((i) => i.path));

  /** Every photo of the folder (filters aside) in the grid's order: what "Denoise all" runs. */
  allInGridOrder = $derived(this.inGridOrder([...this.images]));

  /** The selection in the grid's order: a batch runs, and the details panel starts, where the user sees. */
  selectedEntries = $derived(this.inGridOrder(this.images.filter((i) => this.selected.has(i.path))));

  byPath = $derived(new Map(this.images.map((i) => [i.path, i])));

  /** Sorts `list` (a fresh array) by the grid's sort key and direction. */
  private inGridOrder(list: ImageEntry[]): ImageEntry[] {
    return list.sort((a, b) => compare(a, b, this.sortKey) * (this.sortAscending ? 1 : -1));
  }

  constructor() {
    // The host watches the open folder: photos copied in or deleted show up (or go) by themselves.
    on('library:changed', ({ folder }) => {
      if (folder === this.folder && !this.loading) void this.open(folder, this.recursive, { quiet: true });
    });
  }

  /** Lists `folder`; `quiet` (a re-list the host asked for) keeps the grid as it is while it loads. */
  async open(folder: string, recursive = this.recursive, { quiet = false } = {}): Promise<boolean> {
    if (!quiet) this.loading = true;
    this.error = null;
    const result = await invoke('library:open', { folder, recursive });
    this.loading = false;
    if (!result.ok) {
      this.error = result.error;
      return false;
    }
    this.folder = result.value.folder;
    this.recursive = recursive;
    this.images = result.value.images;
    this.statuses = statusesFromDisk(result.value.images, this.statuses);
    this.skipped = result.value.skipped;
    const next = pruneSelection(
      { selected: this.selected, anchor: this.anchor },
      new Set(this.images.map((i) => i.path)),
    );
    this.selected = next.selected;
    this.anchor = next.anchor;
    if (this.focused && !this.byPath.has(this.focused)) this.focused = null;
    // A photo's path was typed or pasted: its folder is open, and the photo is selected.
    if (result.value.selected) this.click(result.value.selected, { shift: false, toggle: false });
    return true;
  }

  async reload(): Promise<void> {
    if (this.folder) await this.open(this.folder, this.recursive);
  }

  click(path: string, mods: ClickModifiers): void {
    const next = clickSelect({ selected: this.selected, anchor: this.anchor }, this.visiblePaths, path, mods);
    this.selected = next.selected;
    this.anchor = next.anchor;
    this.focused = path;
  }

  selectAll(): void {
    this.selected = new Set(this.visiblePaths);
  }

  clearSelection(): void {
    this.selected = new Set();
    this.anchor = null;
  }

  setStatus(paths: readonly string[], status: PhotoStatus | null): void {
    // A fresh map replaces the $state.raw one whole (that assignment is what the UI reacts to).
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- built here, never mutated once published
    const next = new Map(this.statuses);
    for (const p of paths) {
      if (status) next.set(p, status);
      else next.delete(p);
    }
    this.statuses = next;
  }
}

export const library = new LibraryStore();
