// Small tmpfs mounts for the disk-full and read-only-folder faults. Mounting needs root (or
// CAP_SYS_ADMIN) on Linux; elsewhere `mountTmpfs` answers why it could not, and the test skips
// with that reason instead of pretending.
import { spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';

export interface Mounted {
  path: string;
  unmount(): void;
}

export async function mountTmpfs(
  path: string,
  options: { sizeBytes: number; readOnly?: boolean },
): Promise<Mounted | string> {
  if (process.platform !== 'linux') return `tmpfs mounts need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  await mkdir(path, { recursive: true });
  const opts = [`size=${options.sizeBytes}`, 'mode=0777', ...(options.readOnly ? ['ro'] : [])].join(',');
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', path], { encoding: 'utf8', timeout: 10_000 });
  if (result.status !== 0)
    return `mount -t tmpfs failed: ${(result.stderr || result.error?.message || 'unknown').trim()}`;
  return {
    path,
    unmount: () => {
      spawnSync('umount', ['-l', path], { timeout: 10_000 });
    },
  };
}

/** Remounts a mounted tmpfs read-only (after files were put in it) or read-write. */
export function remount(path: string, readOnly: boolean): string | undefined {
  const result = spawnSync('mount', ['-o', `remount,${readOnly ? 'ro' : 'rw'}`, path], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  return result.status === 0 ? undefined : `remount failed: ${(result.stderr || 'unknown').trim()}`;
}
