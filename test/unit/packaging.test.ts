// electron-builder.yml checked by electron-builder's own validator, plus what the schema cannot
// know: every native module in the production tree is unpacked from the asar, models ship outside
// it where src-main/resources.ts looks, each OS drops the others' ONNX Runtime binaries, and the
// hardening fuses are set. electron-builder's validator lives in app-builder-lib (its engine,
// installed with it); it has no exports map, so the deep import is the way in.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { APP_USER_MODEL_ID } from '../../src-main/app/desktop-feedback.js';
import { shippedModelsDir } from '../../src-main/resources.js';
import { driverFor } from '../e2e/electron-launch.js';

const root = resolve(import.meta.dirname, '../..');
type Config = Record<string, unknown> & {
  asarUnpack: string[];
  files: Array<string | { filter: string[] }>;
  extraResources: Array<{ from: string; to: string }>;
  electronFuses: Record<string, boolean>;
  win: {
    files: string[];
    target: Array<{ target: string }>;
    fileAssociations: Array<{ ext: string | string[]; role: string; mimeType: string }>;
  };
  linux: {
    files: string[];
    target: Array<{ target: string }>;
    mimeTypes: string[];
    desktop: { entry: Record<string, string> };
  };
  nsis: Record<string, unknown>;
};
// Loaded the way electron-builder loads it (finds electron-builder.yml, applies `extends`).
const config = (await getConfig(root, null, null)) as unknown as Config;
/** getConfig normalises the top-level `files` into [{ filter }]. */
const topLevelFiles = config.files.flatMap((entry) => (typeof entry === 'string' ? [entry] : entry.filter));

async function validationError(candidate: unknown): Promise<string | undefined> {
  try {
    await validateConfiguration(candidate as never, new DebugLogger(false));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Directories of production packages (no devDependencies) that contain compiled .node binaries. */
function nativeProductionPackages(): string[] {
  const listing = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8' })
    .trim()
    .split('\n');
  const hasBinary = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true, recursive: true }).some(
      (entry) =>
        entry.isFile() && entry.name.endsWith('.node') && !relative(dir, entry.parentPath).includes('node_modules'),
    );
  return listing
    .filter((dir) => dir !== root && existsSync(dir))
    .filter(hasBinary)
    .map((dir) => relative(root, dir).split('\\').join('/'));
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation, which does reject mistakes", async () => {
    expect(await validationError(config)).toBeUndefined();
    expect(await validationError({ ...config, nsis: { ...config.nsis, oneClik: false } })).toMatch(
      /configuration\.nsis/,
    );
  });

  it('unpacks every native module of the production tree from the asar', () => {
    const natives = nativeProductionPackages();
    expect(natives).toEqual(expect.arrayContaining(['node_modules/onnxruntime-node']));
    expect(natives.some((dir) => dir.startsWith('node_modules/@img/'))).toBe(true);
    for (const dir of natives) {
      const covered = config.asarUnpack.some((pattern) => minimatch(`${dir}/any.node`, pattern, { dot: true }));
      expect(covered, `${dir} has .node binaries but no asarUnpack pattern`).toBe(true);
    }
  });

  it('ships the models outside the asar where resources.ts finds them', () => {
    const models = config.extraResources.find((entry) => entry.from === 'assets/models');
    expect(models?.to).toBe('models');
    expect(shippedModelsDir()).toBe(join(root, 'assets', 'models'));
  });

  it("keeps only the target OS's and arch's ONNX Runtime binaries, and no source maps", () => {
    const binaries = readdirSync(join(root, 'node_modules/onnxruntime-node/bin'), {
      recursive: true,
      withFileTypes: true,
    })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'));
    // electron-builder's rule: the last pattern matching a path decides; production node_modules
    // are packed unless a pattern excludes them.
    const packed = (path: string, os: string, arch: string): boolean => {
      let keep = path.startsWith('node_modules/');
      for (const pattern of topLevelFiles) {
        const expanded = pattern.replaceAll('${os}', os).replaceAll('${arch}', arch);
        const negated = expanded.startsWith('!');
        if (minimatch(path, negated ? expanded.slice(1) : expanded, { dot: true })) keep = !negated;
      }
      return keep;
    };
    const kept = (os: string, arch: string): string[] =>
      [
        ...new Set(
          binaries.filter((path) => packed(path, os, arch)).map((path) => path.split('/').slice(4, 6).join('/')),
        ),
      ].sort();
    expect(kept('linux', 'x64')).toEqual(['linux/x64']);
    expect(kept('win', 'x64')).toEqual(['win32/x64']);
    expect(kept('win', 'arm64')).toEqual(['win32/arm64']);
    expect(packed('dist/node/src-main/app/main.js', 'linux', 'x64')).toBe(true);
    expect(packed('dist/node/src-main/app/main.js.map', 'linux', 'x64')).toBe(false);
    expect(packed('src-main/app/main.ts', 'linux', 'x64')).toBe(false);
  });

  it('builds the promised installers with a desktop entry for photos', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis', 'portable']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true });
    expect(config.linux.target.map((t) => t.target)).toEqual(['AppImage', 'deb']);
    expect(config.linux.desktop.entry.Categories).toBe('Graphics;Photography;');
    expect(config.linux.mimeTypes).toEqual(['image/jpeg', 'image/png', 'image/tiff', 'image/webp']);
    // Windows: "Open with → Clearframe" for the same formats (the installer registers them).
    const associated = config.win.fileAssociations.flatMap((a) => (Array.isArray(a.ext) ? a.ext : [a.ext]));
    expect(associated.sort()).toEqual(['jpeg', 'jpg', 'png', 'tif', 'tiff', 'webp']);
    expect(new Set(config.win.fileAssociations.map((a) => a.role))).toEqual(new Set(['Viewer']));
    expect(config.win.fileAssociations.map((a) => a.mimeType).sort()).toEqual([...config.linux.mimeTypes].sort());
    expect(config.publish).toBeNull();
  });

  it('gives the Start-menu shortcut the app user model ID the app sets, so Windows shows its notifications', () => {
    expect(config.appId).toBe(APP_USER_MODEL_ID);
  });

  it('flips the hardening fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeCliInspectArguments: false,
      grantFileProtocolExtraPrivileges: false,
      onlyLoadAppFromAsar: true,
    });
  });

  it('packs the built app, not the sources', () => {
    expect(topLevelFiles).toEqual(expect.arrayContaining(['package.json', 'dist/node/**/*', 'dist/renderer/**/*']));
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
    expect(minimatch(pkg.main, 'dist/node/**/*')).toBe(true);
  });
});

describe('package.json for the deb target', () => {
  // electron-builder's deb target stops without a homepage and an author e-mail (the Debian
  // maintainer and Homepage fields); Electron needs desktopName to match the window to the
  // installed desktop entry.
  it('has homepage, repository, an author with an e-mail and desktopName', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.repository).toMatchObject({ type: 'git', url: expect.stringMatching(/\.git$/) });
    expect(pkg.author).toMatch(/<[^@\s]+@[^@\s]+>/);
    expect(pkg.desktopName).toBe(`${pkg.name as string}.desktop`);
  });
});

describe('.npmrc', () => {
  // onnxruntime-node's install script downloads the CUDA provider from NuGet unless
  // ONNXRUNTIME_NODE_INSTALL=skip, and fails offline. The former `onnxruntime-node-install=skip` key
  // worked but npm warned on every command that unknown keys will stop working.
  it('sets ONNXRUNTIME_NODE_INSTALL=skip for the scripts npm runs, with settings npm knows', () => {
    const env = { ...process.env };
    for (const key of Object.keys(env))
      if (key === 'NODE_OPTIONS' || key === 'ONNXRUNTIME_NODE_INSTALL' || key.startsWith('npm_')) delete env[key];
    const run = (extra: Record<string, string> = {}): { stdout: string; stderr: string } =>
      spawnSync(
        'npm',
        ['exec', '--offline', '--', 'node', '-e', 'process.stdout.write(String(process.env.ONNXRUNTIME_NODE_INSTALL))'],
        {
          cwd: root,
          env: { ...env, ...extra },
          encoding: 'utf8',
          shell: process.platform === 'win32',
        },
      );
    const plain = run();
    expect(plain.stdout).toBe('skip');
    expect(plain.stderr).not.toMatch(/Unknown .*config|will stop working/);
    // A choice made in the environment wins.
    expect(run({ ONNXRUNTIME_NODE_INSTALL: 'cuda12' }).stdout).toBe('cuda12');
    expect(readFileSync(join(root, '.npmrc'), 'utf8')).not.toMatch(/^onnxruntime-node-install/m);
  });
});

describe('release.yml tests the hardened build it ships', () => {
  // Playwright's Electron driver needs the main process's --inspect, which the enableNodeCliInspectArguments
  // fuse (off in electron-builder.yml) refuses: the packaged app must be driven over CDP instead.
  // js-yaml comes with electron-builder; it has no types of its own, hence the narrow view of it.
  const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
  interface Step {
    name?: string;
    run?: string;
    env?: Record<string, string>;
  }
  const workflow = yaml.load(readFileSync(join(root, '.github/workflows/release.yml'), 'utf8')) as {
    jobs: { build: { strategy: { matrix: { include: Array<{ builder: string; packaged: string }> } }; steps: Step[] } };
  };
  const { steps } = workflow.jobs.build;

  it('runs the Electron spec against the installers it built, with the fuses as shipped', () => {
    const build = steps.findIndex((step) => step.run?.includes('npm run dist'));
    const test = steps.findIndex((step) => step.env?.CLEARFRAME_ELECTRON_EXECUTABLE !== undefined);
    expect(build).toBeGreaterThanOrEqual(0);
    expect(test).toBeGreaterThan(build);
    expect(steps[test]!.run).toMatch(/playwright test test\/e2e\/electron\.spec\.ts/);
    // Nothing between the build and the upload rewrites the configuration or the fuses.
    for (const step of steps)
      expect(step.run ?? '', step.name).not.toMatch(/--config\b|-c\.|electronFuses|@electron\/fuses|flip-fuses/);
    for (const { packaged } of workflow.jobs.build.strategy.matrix.include)
      expect(packaged).toMatch(/^release\/(linux|win)-unpacked\//);
    expect(config.electronFuses.enableNodeCliInspectArguments).toBe(false);
  });

  it("drives a packaged app over CDP, and only the development app through Playwright's Electron driver", () => {
    expect(driverFor(true)).toBe('cdp');
    expect(driverFor(false)).toBe('electron-driver');
    // The spec hands the launcher whether it runs the packaged executable.
    const spec = readFileSync(join(root, 'test/e2e/electron.spec.ts'), 'utf8');
    expect(spec).toMatch(/packaged: packaged !== undefined/);
    expect(spec).not.toMatch(/_electron/);
  });
});

describe('Node version', () => {
  // Electron 45 bundles Node 22; its npm package and node-abi want 22.12+, ESLint 10 22.13+ (and
  // vitest skips 23). package.json, both workflows and .ci/run's warning must say the same.
  it('is the same in engines, the workflows and .ci/run', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('^22.13.0 || >=24');
    for (const file of ['ci.yml', 'release.yml']) {
      const versions = [
        ...readFileSync(join(root, '.github/workflows', file), 'utf8').matchAll(/node-version:\s*(\S+)/g),
      ].map((m) => m[1]);
      expect(versions, file).toEqual(['22']);
    }
    expect(readFileSync(join(root, '.ci/run'), 'utf8')).toContain(pkg.engines.node);
  });
});
