// The desktop shell's feedback on long work, decided without Electron: taskbar progress from
// job:progress, cleared on job:done; a notification when a long batch or training run ends while
// the window is elsewhere. Also: opened folders reach the OS recent list, and its failures never fail the open.
import { describe, expect, it, vi } from 'vitest';
import type { Handlers } from '../../src-main/api/dispatch.js';
import { DesktopFeedback, type DesktopShell } from '../../src-main/app/desktop-feedback.js';
import {
  batchSummary,
  LONG_WORK_SECONDS,
  notifiesEnd,
  trainSummary,
  trainTitle,
  TrainRunWatch,
} from '../../src-shared/long-work.js';
import { recordingOpenedFolders } from '../../src-main/app/recent-folders.js';

function fakeShell(focused = false): DesktopShell & { progress: Array<number | null>; notes: string[] } {
  const shell = {
    progress: [] as Array<number | null>,
    notes: [] as string[],
    setProgress: (fraction: number | null) => shell.progress.push(fraction),
    notify: (title: string, body: string) => shell.notes.push(`${title}: ${body}`),
    isFocused: () => focused,
  };
  return shell;
}

// Equal-sized photos: the pixel-weighted fraction is (files done + the current file's tiles) / files.
const progress = (jobId: string, fileIndex: number, fileCount: number, tileDone = 0, tileCount = 0) =>
  ({
    jobId,
    fileIndex,
    fileCount,
    path: `/p/${fileIndex}.jpg`,
    tileDone,
    tileCount,
    fraction: (fileIndex + (tileCount ? tileDone / tileCount : 0)) / fileCount,
    megapixelsPerSecond: 0,
  }) as const;

describe('DesktopFeedback', () => {
  it('shows the batch on the taskbar, tiles included, and clears it at the end', () => {
    const shell = fakeShell();
    const feedback = new DesktopFeedback(shell, () => 0);
    feedback.observe('job:progress', progress('j1', 0, 4));
    feedback.observe('job:progress', progress('j1', 1, 4, 2, 4));
    feedback.observe('job:progress', progress('j1', 3, 4, 4, 4));
    feedback.observe('job:done', { jobId: 'j1', succeeded: 4, failed: 0, skipped: 0, cancelled: 0 });
    expect(shell.progress).toEqual([0, 0.375, 1, null]);
    expect(shell.notes).toEqual([]); // it took no time: no notification
  });

  it('notifies when a batch of 20 s or more ends while the window is elsewhere, not when it is in front', () => {
    let now = 0;
    const away = fakeShell(false);
    const feedback = new DesktopFeedback(away, () => now);
    feedback.observe('job:progress', progress('j1', 0, 3));
    now = LONG_WORK_SECONDS * 1000;
    feedback.observe('job:done', { jobId: 'j1', succeeded: 2, failed: 1, skipped: 0, cancelled: 0 });
    expect(away.notes).toEqual(['Denoising finished with errors: 2 photos denoised, 1 failed']);

    const watching = fakeShell(true);
    const seen = new DesktopFeedback(watching, () => now);
    now = 0;
    seen.observe('job:progress', progress('j2', 0, 1));
    now = 60_000;
    seen.observe('job:done', { jobId: 'j2', succeeded: 1, failed: 0, skipped: 0, cancelled: 0 });
    expect(watching.notes).toEqual([]);
    expect(watching.progress.at(-1)).toBeNull();
  });

  it('notifies at the end of a long training run, with the reason when it failed', () => {
    let now = 0;
    const shell = fakeShell();
    const feedback = new DesktopFeedback(shell, () => now);
    const run = { runId: 'r1', step: 0, totalSteps: 500, epoch: 0 } as const;
    feedback.observe('train:progress', { ...run, phase: 'training' });
    now = 5_000;
    feedback.observe('train:progress', { ...run, phase: 'training', step: 10 });
    now = 90_000;
    feedback.observe('train:progress', { ...run, phase: 'done', step: 500 });
    feedback.observe('train:progress', { runId: 'r2', step: 0, totalSteps: 10, epoch: 0, phase: 'loading' });
    now = 200_000;
    feedback.observe('train:progress', {
      runId: 'r2',
      step: 3,
      totalSteps: 10,
      epoch: 0,
      phase: 'failed',
      message: 'out of memory',
    });
    // A final phase for a run never seen running (status replayed after a restart) says nothing.
    feedback.observe('train:progress', { runId: 'r3', step: 3, totalSteps: 10, epoch: 0, phase: 'stopped' });
    expect(shell.notes).toEqual(['Training finished: 500 of 500 steps', 'Training failed: out of memory']);
  });

  it('notifies the end of work that lasted LONG_WORK_SECONDS or more while the window was not in front (both hosts)', () => {
    const long = LONG_WORK_SECONDS * 1000;
    expect(notifiesEnd(1_000, 1_000 + long, false)).toBe(true);
    expect(notifiesEnd(1_000, 1_000 + long - 1, false)).toBe(false);
    expect(notifiesEnd(1_000, 1_000 + 10 * long, true)).toBe(false);
  });

  it('summarises a batch in words', () => {
    expect(batchSummary({ jobId: 'j', succeeded: 1, failed: 0, skipped: 0, cancelled: 0 })).toBe('1 photo denoised');
    expect(batchSummary({ jobId: 'j', succeeded: 0, failed: 0, skipped: 0, cancelled: 5 })).toBe(
      '0 photos denoised, 5 cancelled',
    );
    expect(batchSummary({ jobId: 'j', succeeded: 2, failed: 0, skipped: 3, cancelled: 0 })).toBe(
      '2 photos denoised, 3 already had a denoised copy',
    );
  });

  it('titles the end of a training run, and only its end', () => {
    expect(trainTitle('done')).toBe('Training finished');
    expect(trainTitle('stopped')).toBe('Training stopped');
    expect(trainTitle('failed')).toBe('Training failed');
    for (const going of ['loading', 'training', 'validating', 'exporting'] as const)
      expect(trainTitle(going)).toBe(undefined);
  });

  it('summarises a training run by its steps, or by the reason it failed', () => {
    expect(trainSummary({ phase: 'done', step: 500, totalSteps: 500 })).toBe('500 of 500 steps');
    expect(trainSummary({ phase: 'stopped', step: 3, totalSteps: 10, message: 'Stopped by you' })).toBe(
      '3 of 10 steps',
    );
    expect(trainSummary({ phase: 'failed', step: 3, totalSteps: 10, message: 'out of memory' })).toBe('out of memory');
    expect(trainSummary({ phase: 'failed', step: 0, totalSteps: 10 })).toBe('0 of 10 steps');
  });

  it('ends a training run seen going, counted from when it was first seen, and only once', () => {
    const watch = new TrainRunWatch();
    const run = { runId: 'r1', step: 0, totalSteps: 4, epoch: 0 } as const;
    expect(watch.observe({ ...run, phase: 'training', step: 2 }, 7_000)).toBe(undefined);
    expect(watch.observe({ ...run, phase: 'validating', step: 4 }, 9_000)).toBe(undefined);
    expect(watch.observe({ ...run, phase: 'done', step: 4 }, 30_000)).toEqual({
      startedMs: 7_000,
      title: 'Training finished',
      body: '4 of 4 steps',
    });
    expect(watch.observe({ ...run, phase: 'done', step: 4 }, 31_000)).toBe(undefined); // replayed
    expect(watch.observe({ ...run, runId: 'r2', phase: 'stopped' }, 40_000)).toBe(undefined); // never seen going
  });
});

describe('recordingOpenedFolders', () => {
  it('adds the real folder of a successful open to the OS recent list, and nothing for a failed one', async () => {
    const added: string[] = [];
    const handlers = {
      'library:open': async ({ folder }: { folder: string }) => {
        if (folder === '/missing') throw new Error('not found');
        return { folder: `/real${folder}`, images: [], skipped: [] };
      },
    } as unknown as Handlers;
    const wrapped = recordingOpenedFolders(handlers, (folder) => void added.push(folder));
    const context = { emit: () => {} };
    await expect(wrapped['library:open']({ folder: '/photos', recursive: false }, context)).resolves.toMatchObject({
      folder: '/real/photos',
    });
    await expect(wrapped['library:open']({ folder: '/missing', recursive: false }, context)).rejects.toThrow(
      'not found',
    );
    expect(added).toEqual(['/real/photos']);
  });

  it('opens the folder when the OS list fails, at once or later (the Linux list is a file written asynchronously)', async () => {
    const handlers = {
      'library:open': async ({ folder }: { folder: string }) => ({ folder, images: [], skipped: [] }),
    } as unknown as Handlers;
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const context = { emit: () => {} };
    const throwing = recordingOpenedFolders(handlers, () => {
      throw new Error('no recent list here');
    });
    let settle: () => void = () => {};
    const written = new Promise<void>((resolve) => (settle = resolve));
    const rejecting = recordingOpenedFolders(handlers, async () => {
      settle();
      throw new Error('read-only home');
    });
    await expect(throwing['library:open']({ folder: '/photos', recursive: false }, context)).resolves.toMatchObject({
      folder: '/photos',
    });
    await expect(rejecting['library:open']({ folder: '/photos', recursive: false }, context)).resolves.toMatchObject({
      folder: '/photos',
    });
    await written;
    await vi.waitFor(() => expect(warned).toHaveBeenCalledTimes(2));
    expect(warned.mock.calls.map(([line]) => line)).toEqual([
      "[recent] could not add /photos to the OS's recent list: no recent list here",
      "[recent] could not add /photos to the OS's recent list: read-only home",
    ]);
    warned.mockRestore();
  });
});
