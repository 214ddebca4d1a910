import { z } from 'zod';

/** An absolute or user-typed path; bounded so a hostile client cannot send megabytes of it. */
export const PathString = z.string().min(1).max(4096);

/** Image formats Clearframe reads and writes (sharp's names). */
export const ImageFormat = z.enum(['jpeg', 'png', 'tiff', 'webp', 'avif', 'heif', 'gif']);
export type ImageFormat = z.infer<typeof ImageFormat>;
