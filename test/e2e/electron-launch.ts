// How the Electron spec starts the desktop app. Playwright's Electron driver (`_electron.launch`)
// attaches to the main process with `--inspect`, which the packaged app refuses: electron-builder.yml
// turns the enableNodeCliInspectArguments fuse off, as a shipped app should. So the development app
// (`electron .`, no fuses) is driven by `_electron`, and a packaged app (release workflow) is started
// as a user would start it, plus Chromium's `--remote-debugging-port`, and its window is driven over
// CDP (`chromium.connectOverCDP`). The shipped, hardened build is then the one tested.
// test/unit/packaging.test.ts checks that the release workflow, the fuses and this choice agree.
import { spawn, type ChildProcess } from 'node:child_process';
import { _electron as electron, chromium, type Page } from '@playwright/test';

/** What the spec needs of a running app, whichever way it was started. */
export interface DesktopApp {
  firstWindow(): Promise<Page>;
  close(): Promise<void>;
}

export type Driver = 'electron-driver' | 'cdp';

/** Packaged apps have the inspect fuse off; only the development app can take `_electron`'s --inspect. */
export function driverFor(packaged: boolean): Driver {
  return packaged ? 'cdp' : 'electron-driver';
}

export interface LaunchOptions {
  executable: string;
  packaged: boolean;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export async function launchDesktop(options: LaunchOptions): Promise<DesktopApp> {
  if (driverFor(options.packaged) === 'electron-driver') {
    const env = Object.fromEntries(
      Object.entries(options.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    const app = await electron.launch({
      executablePath: options.executable,
      args: options.args,
      cwd: options.cwd,
      env,
    });
    return { firstWindow: () => app.firstWindow(), close: () => app.close() };
  }
  return launchOverCdp(options);
}

/** Chromium prints "DevTools listening on ws://…" on stderr once the port is open (port 0: any free one). */
function devToolsEndpoint(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`the packaged app printed no DevTools endpoint in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`the packaged app exited (${code ?? signal}) before its DevTools endpoint was open:\n${output}`),
      );
    });
  });
}

async function launchOverCdp(options: LaunchOptions): Promise<DesktopApp> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const child = spawn(options.executable, [...options.args, '--remote-debugging-port=0'], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const browser = await chromium.connectOverCDP(await devToolsEndpoint(child, timeoutMs), { timeout: timeoutMs });
    const firstWindow = async (): Promise<Page> => {
      const context = browser.contexts()[0]; // over CDP, the app's own (default) context
      if (!context) throw new Error('the packaged app answered CDP without a browser context');
      const page =
        context.pages().find((p) => !p.url().startsWith('devtools://')) ??
        (await context.waitForEvent('page', { timeout: timeoutMs }));
      await page.waitForURL(/^clearframe:\/\//, { timeout: timeoutMs });
      return page;
    };
    return {
      firstWindow,
      close: async () => {
        await browser.close().catch(() => undefined);
        if (child.exitCode === null && child.signalCode === null) child.kill();
        await exited;
      },
    };
  } catch (error) {
    child.kill();
    await exited;
    throw error;
  }
}
