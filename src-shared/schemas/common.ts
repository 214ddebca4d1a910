import { z } from 'zod';

/**
 * Control characters (C0, DEL, C1). None belongs in a path, and one can redirect a write: libvips
 * and the C library end a path at NUL, so "orig.jpg\u0000" would save over ".orig.jpg".
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's job
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** Why `text` cannot name a file, or undefined when it can: the one rule for every path-shaped field. */
export function controlCharacterProblem(text: string): string | undefined {
  const found = CONTROL_CHARACTER.exec(text);
  return found
    ? `contains a control character (U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`
    : undefined;
}

/** A string without control characters: the refinement every path-shaped field carries. */
export function pathShaped<T extends z.ZodString>(schema: T) {
  return schema.refine((text) => !CONTROL_CHARACTER.test(text), {
    message: 'A path may not contain control characters (such as NUL or a line break).',
  });
}

/** An absolute or user-typed path; bounded so a hostile client cannot send megabytes of it. */
export const PathString = pathShaped(z.string().min(1).max(4096));

/** Image formats Clearframe reads and writes (sharp's names). */
export const ImageFormat = z.enum(['jpeg', 'png', 'tiff', 'webp', 'avif', 'heif', 'gif']);
export type ImageFormat = z.infer<typeof ImageFormat>;
