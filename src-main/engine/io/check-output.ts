// After an engine crash: is the output the engine announced just before moving it into place there
// and whole? The move itself is atomic (link, or rename over our own exclusive claim on FAT/exFAT),
// so a file at that path is either the whole output (the crash came after the move and before the
// engine could report it: the photo is done) or, on FAT/exFAT, the empty claim file the crash left
// before the rename (ours, created exclusively: removed). Anything else is left alone.
import { stat, unlink } from 'node:fs/promises';
import sharp from 'sharp';

export type OutputState = 'whole' | 'removed' | 'missing' | 'unreadable';

export async function checkOutput(path: string): Promise<OutputState> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return 'missing';
  if (info.size === 0) {
    await unlink(path).catch(() => undefined);
    return 'removed';
  }
  return sharp(path, { failOn: 'truncated' })
    .raw()
    .toBuffer()
    .then(
      () => 'whole' as const,
      () => 'unreadable' as const,
    );
}
