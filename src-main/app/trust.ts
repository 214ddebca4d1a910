// Which pages and links the shell trusts. The renderer is loaded from our own privileged scheme
// (clearframe://app/...); IPC from any other frame (an injected iframe, a navigated-away page) is
// refused, and links leave the app only for https hosts on the allowlist.
export const APP_SCHEME = 'clearframe';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
export const IMAGE_SCHEME = 'clearframe-image';

/** Hosts that links in the app may open in the user's browser. */
export const EXTERNAL_HOSTS: ReadonlySet<string> = new Set([
  'github.com',
  'onnxruntime.ai',
  'www.tensorflow.org',
  'electronjs.org',
]);

function parse(url: string | undefined): URL | undefined {
  if (!url) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** True only for our own app pages (the frame that sends IPC, or a navigation target). */
export function isAppUrl(url: string | undefined): boolean {
  const parsed = parse(url);
  return parsed !== undefined && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}

/** Links the shell may hand to the OS browser: https, no credentials, an allowlisted host. */
export function isAllowedExternalUrl(url: string): boolean {
  const parsed = parse(url);
  return (
    parsed !== undefined &&
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    EXTERNAL_HOSTS.has(parsed.hostname)
  );
}
