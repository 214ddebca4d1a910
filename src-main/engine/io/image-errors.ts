// Turns sharp/libvips failures into sentences a person can act on, naming the file:
//   "photo.jpg: not a valid JPEG (truncated at byte 18211)".
// The container is recognised from the file's first bytes, not its extension, so a PNG named .jpg
// is described as what it is.
import { access, constants, open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { EngineError } from '../contract/engine-error.js';

const SIGNATURES: Array<[string, (b: Uint8Array) => boolean]> = [
  ['JPEG', (b) => b[0] === 0xff && b[1] === 0xd8],
  ['PNG', (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47],
  [
    'TIFF',
    (b) => (b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a) || (b[0] === 0x4d && b[1] === 0x4d && b[3] === 0x2a),
  ],
  [
    'WebP',
    (b) => String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP',
  ],
  ['AVIF/HEIF', (b) => String.fromCharCode(...b.subarray(4, 8)) === 'ftyp'],
  ['GIF', (b) => String.fromCharCode(...b.subarray(0, 3)) === 'GIF'],
];

/** The container a file's first bytes announce, or undefined. */
export function sniffContainer(head: Uint8Array): string | undefined {
  return SIGNATURES.find(([, test]) => test(head))?.[0];
}

async function readHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(16);
    const { bytesRead } = await handle.read(buffer, 0, 16, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Throws an EngineError unless `path` is a regular file this process may read. Checked before sharp
 * opens a photo: a pipe would block it forever (a named pipe called "photo.png"), a device would be
 * read without end, and a folder or a chmod-000 file would be called an "unsupported image format".
 */
export async function assertReadableFile(path: string): Promise<void> {
  const name = basename(path);
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new EngineError('not-found', `${name}: file not found`, path);
    throw new EngineError(
      'io',
      `${name}: cannot be read (${error.code === 'EACCES' ? 'permission denied' : (error.code ?? 'unknown error')})`,
      path,
    );
  });
  if (info.isDirectory()) throw new EngineError('unsupported', `${name}: is a folder, not a photo`, path);
  if (!info.isFile())
    throw new EngineError(
      'unsupported',
      `${name}: is not a regular file (a pipe, socket or device), not a photo`,
      path,
    );
  await access(path, constants.R_OK).catch(() => {
    throw new EngineError('io', `${name}: cannot be read (permission denied)`, path);
  });
}

/** An EngineError describing why `path` could not be decoded. */
export async function describeDecodeError(path: string, error: unknown): Promise<EngineError> {
  const name = basename(path);
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof EngineError) return error;
  if (/Input file is missing/i.test(message)) return new EngineError('not-found', `${name}: file not found`, path);
  let size: number;
  let container: string | undefined;
  try {
    size = (await stat(path)).size;
    container = sniffContainer(await readHead(path));
  } catch (statError) {
    const code = (statError as NodeJS.ErrnoException).code;
    return new EngineError(
      'io',
      `${name}: cannot be read (${code === 'EACCES' ? 'permission denied' : (code ?? 'unknown error')})`,
      path,
    );
  }
  if (size === 0) return new EngineError('unsupported', `${name}: the file is empty`, path);
  if (/pixel limit/i.test(message))
    return new EngineError('unsupported', `${name}: image is larger than the pixel limit`, path);
  if (!container)
    return new EngineError('unsupported', `${name}: not an image Clearframe can read (unrecognised format)`, path);
  if (/premature end|truncated|unexpected end/i.test(message)) {
    return new EngineError('unsupported', `${name}: not a valid ${container} (truncated at byte ${size})`, path);
  }
  if (/unsupported image format/i.test(message) && container === 'AVIF/HEIF') {
    return new EngineError('unsupported', `${name}: this HEIF/AVIF variant cannot be decoded by this build`, path);
  }
  return new EngineError(
    'unsupported',
    `${name}: not a valid ${container} (damaged or truncated; file is ${size} bytes)`,
    path,
  );
}
