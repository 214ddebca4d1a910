// What the folder field opens besides a folder's full path: "~" as the home folder, and a photo's
// own path (pasted from a file manager) as its folder with that photo selected — through dispatch,
// on generated images, with the real engine scanning the folder.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllowedFolders } from '../../src-main/access/allowed-folders.js';
import { dispatch, type RequestContext } from '../../src-main/api/dispatch.js';
import { createHandlers } from '../../src-main/api/index.js';
import { expandHome } from '../../src-main/api/library.js';
import { createEngineServices, type EngineServices } from '../../src-main/engine-client/engine-services.js';
import { openConfSettings } from '../../src-main/settings/conf-settings.js';
import type { LibraryOpenResponse } from '../../src-shared/schemas/library.js';

const context: RequestContext = { emit: () => undefined };
let root: string;
let engine: EngineServices;
let handlers: ReturnType<typeof createHandlers>;
const home = process.env.HOME;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'clearframe-open-target-'));
  await mkdir(join(root, 'Pictures'), { recursive: true });
  for (const [name, colour] of [
    ['a.png', 'red'],
    ['b.jpg', 'blue'],
  ] as const) {
    await sharp({ create: { width: 32, height: 24, channels: 3, background: colour } }).toFile(
      join(root, 'Pictures', name),
    );
  }
  await writeFile(join(root, 'Pictures', 'notes.txt'), 'not a photo');
  engine = createEngineServices(join(root, 'data'));
  handlers = createHandlers({
    host: 'browser',
    settings: openConfSettings(join(root, 'data')),
    access: new AllowedFolders(),
    engine,
  });
  // os.homedir() reads HOME on POSIX: the test's home is its temp folder.
  process.env.HOME = root;
});

afterAll(async () => {
  process.env.HOME = home;
  await engine.client.dispose();
  await rm(root, { recursive: true, force: true });
});

async function open(folder: string): Promise<LibraryOpenResponse> {
  const result = await dispatch(handlers, 'library:open', { folder }, context);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as LibraryOpenResponse;
}

describe('the folder field', () => {
  it('expands "~" and "~/…" to the home folder, and leaves "~user" and other paths alone', () => {
    expect(expandHome('~', '/home/ann')).toBe('/home/ann');
    expect(expandHome('~/Pictures', '/home/ann')).toBe('/home/ann/Pictures');
    expect(expandHome('~\\Pictures', 'C:\\Users\\ann')).toBe('C:\\Users\\ann\\Pictures');
    expect(expandHome('~bob/Pictures', '/home/ann')).toBe('~bob/Pictures');
    expect(expandHome('/data/~/x', '/home/ann')).toBe('/data/~/x');
  });

  it.skipIf(process.platform === 'win32')('opens "~/Pictures" as the home folder’s Pictures', async () => {
    const listing = await open('~/Pictures');
    expect(listing.images.map((i) => i.name).sort()).toEqual(['a.png', 'b.jpg']);
    expect(listing.selected).toBeUndefined();
  });

  it('opens a photo’s path as its folder, with that photo selected', async () => {
    const listing = await open(join(root, 'Pictures', 'b.jpg'));
    expect(listing.images.map((i) => i.name).sort()).toEqual(['a.png', 'b.jpg']);
    expect(listing.selected).toBe(listing.images.find((i) => i.name === 'b.jpg')!.path);
  });

  it('still refuses a file that is not a photo, saying it is not a folder', async () => {
    const result = await dispatch(handlers, 'library:open', { folder: join(root, 'Pictures', 'notes.txt') }, context);
    expect(result.ok ? 'opened' : result.error.message).toMatch(/notes\.txt is not a folder/);
  });
});
