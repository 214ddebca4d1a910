// The image library itself (sharp over libvips): its versions for app:info, and its cache setting.
import sharp from 'sharp';

/** sharp's and libvips' versions (sharp's package.json is not exported; it reports its own version). */
export function imageLibraryVersions(): { sharp: string; libvips: string } {
  return { sharp: sharp.versions.sharp ?? 'unknown', libvips: sharp.versions.vips };
}

/**
 * Turns libvips's operation cache off. Each file is decoded once per task: the cache would only
 * keep up to 50 MB of decoded pictures and 20 open files alive between tasks (a huge photo's
 * thumbnail among them).
 */
export function disableImageCache(): void {
  sharp.cache(false);
}
