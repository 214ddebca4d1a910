// The layer rules of docs/architecture.md, enforced: a forbidden import fails here with
// file:line → target, so the diagram cannot drift from the code unnoticed. The scanner is checked
// too (it finds files in every layer, resolves every relative import, and sees a known edge), so
// this test cannot pass by scanning nothing.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importEdges, sourceFiles, type ImportEdge } from '../helpers/import-edges.js';

const root = resolve(import.meta.dirname, '../..');
const LAYERS = ['src-main', 'src-renderer', 'src-shared'];

interface LayerRule {
  /** Files this rule applies to: folders (with their trailing '/') or files. */
  readonly from: readonly string[];
  /** A repository path prefix ('src-main/app/'), a file ('src-main/resources.ts'), a package ('electron', '@tensorflow/', 'node:'), or '*' for every import. */
  readonly forbidden: readonly string[];
  /** What stays allowed inside `forbidden`, in the same notation. */
  readonly except?: readonly string[];
  readonly why: string;
}

/** The processes that draw or serve the window: they reach the engine only through engine/contract/. */
const MAIN_PROCESS = [
  'src-main/api/',
  'src-main/app/',
  'src-main/host/',
  'src-main/engine-client/',
  'src-main/settings/',
  'src-main/access/',
  'src-main/security/',
  'src-main/static/',
  'src-main/resources.ts',
];

/**
 * The engine's folders, lowest first: a folder imports only folders before it in this list (and
 * itself). contract/ is what the main process shares with the engine; util/ and io/ are the
 * building blocks; process/ (the engine process's entry and worker) sits on top of everything.
 */
const ENGINE_LAYERS = [
  'contract',
  'util',
  'io',
  'onnx',
  'infer',
  'models',
  'library',
  'train',
  'noise-profile',
  'jobs',
  'process',
];

const RULES: readonly LayerRule[] = [
  {
    from: ['src-main/engine/'],
    forbidden: ['electron', 'src-main/app/'],
    why: 'the engine is plain Node: the engine process, the CLI, the browser host and tests load it without Electron',
  },
  {
    from: ['src-main/engine/'],
    forbidden: ['src-main/settings/', 'src-main/resources.ts'],
    why: 'the engine is handed folders and options; where settings and shipped resources live is the hosts’ business',
  },
  {
    from: ['src-renderer/'],
    forbidden: ['src-main/'],
    why: 'the renderer reaches the main process only through the contract in src-shared/',
  },
  {
    from: ['src-main/engine/infer/', 'src-main/engine/onnx/'],
    forbidden: ['src-main/engine/train/'],
    why: 'inference and the ONNX code must not depend on the trainer; what they share lives in engine/util/',
  },
  {
    from: ['src-main/app/'],
    forbidden: ['src-main/host/'],
    why: 'the Electron shell and the browser host are siblings; what both need lives below them',
  },
  {
    from: ['src-main/api/'],
    forbidden: ['sharp', 'onnxruntime-node', '@tensorflow/'],
    why: 'decoding and networks run in the engine process; the api checks requests and passes them on',
  },
  {
    from: ['src-main/engine/'],
    forbidden: ['src-main/api/', 'src-main/host/', 'src-main/engine-client/', 'src-main/cli/', 'src-main/cli.ts'],
    why: 'the engine is called by the hosts and the CLI, never the other way round',
  },
  {
    from: ['src-shared/'],
    forbidden: ['src-main/', 'src-renderer/'],
    why: 'the contract is imported by every process and depends on none of them',
  },
  {
    from: MAIN_PROCESS,
    forbidden: ['src-main/engine/'],
    except: ['src-main/engine/contract/'],
    why: 'the main process never decodes an image nor loads a network: of the engine it imports only engine/contract/, the folder that loads neither',
  },
  {
    from: ['src-main/engine/contract/'],
    forbidden: ['*'],
    except: ['src-main/engine/contract/', 'src-shared/', 'zod', 'node:'],
    why: 'engine/contract/ is imported by the main process: it loads no sharp, ONNX Runtime or tfjs, and nothing of the engine outside itself',
  },
  {
    from: ['src-main/cli/', 'src-main/cli.ts'],
    forbidden: ['electron', 'src-main/app/', 'src-main/host/'],
    why: 'the CLI runs on plain Node, without a window or a server',
  },
];

/** Whether `target` (a repository path or a package name) is what `pattern` names. */
function matches(target: string, pattern: string): boolean {
  if (pattern === '*') return true;
  return pattern.endsWith('/') || pattern.endsWith(':') ? target.startsWith(pattern) : target === pattern;
}

/** The edges that break a rule, as 'file:line → target (why)'. */
function violations(edges: readonly ImportEdge[], rules: readonly LayerRule[] = RULES): string[] {
  const breaks = (rule: LayerRule, target: string): boolean =>
    rule.forbidden.some((p) => matches(target, p)) && !(rule.except ?? []).some((p) => matches(target, p));
  return edges.flatMap((edge) =>
    rules
      .filter((rule) => rule.from.some((pattern) => matches(edge.from, pattern)) && breaks(rule, edge.target))
      .map((rule) => `${edge.from}:${edge.line} → ${edge.target} (${rule.why})`),
  );
}

/** The engine folder a repository path lies in ('io' for 'src-main/engine/io/decode.ts'), '' for a file at the engine's root, undefined outside the engine. */
function engineFolder(path: string): string | undefined {
  const m = /^src-main\/engine\/(?:([^/]+)\/)?/.exec(path);
  return m ? (m[1] ?? '') : undefined;
}

/** The engine edges that run upward (or sideways, or to the engine's root) in ENGINE_LAYERS, as 'file:line → target (why)'. */
function upwardImports(edges: readonly ImportEdge[]): string[] {
  return edges.flatMap((edge) => {
    const from = engineFolder(edge.from);
    const to = engineFolder(edge.target);
    if (from === undefined || to === undefined || from === to) return [];
    const below = ENGINE_LAYERS.includes(to) && ENGINE_LAYERS.indexOf(to) < ENGINE_LAYERS.indexOf(from);
    return below
      ? []
      : [`${edge.from}:${edge.line} → ${edge.target} (${from || 'engine root'} may not import ${to || 'engine root'})`];
  });
}

const edges = importEdges(root, LAYERS);
const edge = (from: string, target: string): ImportEdge => ({
  from,
  line: 1,
  specifier: target,
  target,
  resolved: true,
});

describe('architecture: the scanner', () => {
  it('reads every layer, Svelte components included', () => {
    const files = sourceFiles(root, LAYERS);
    for (const layer of LAYERS) expect(files.filter((f) => f.startsWith(`${layer}/`)).length, layer).toBeGreaterThan(5);
    expect(files.filter((f) => f.endsWith('.svelte')).length).toBeGreaterThan(10);
    expect(edges.filter((e) => e.from.endsWith('.svelte')).length).toBeGreaterThan(10);
    expect(edges.length).toBeGreaterThan(300);
  });

  it('finds a known allowed edge with its line (the renderer client imports the contract)', () => {
    const found = edges.find((e) => e.from === 'src-renderer/lib/api.ts' && e.target === 'src-shared/contract.ts');
    expect(found).toBeDefined();
    expect(found!.line).toBeGreaterThan(1);
    expect(violations([found!])).toEqual([]);
  });

  it('resolves every relative import to a file that exists', () => {
    const unresolved = edges.filter((e) => !e.resolved).map((e) => `${e.from}:${e.line} → ${e.specifier}`);
    expect(unresolved).toEqual([]);
  });

  it('applies each rule to its own folder only', () => {
    expect(violations([edge('src-main/engine/io/decode.ts', 'electron')])).toHaveLength(1);
    expect(violations([edge('src-main/engine/models/registry.ts', 'src-main/resources.ts')])).toHaveLength(1);
    expect(violations([edge('src-main/api/models.ts', '@tensorflow/tfjs-core')])).toHaveLength(1);
    // engine-client/ is the main-process side of the engine boundary, not engine/.
    expect(violations([edge('src-main/engine-client/transport.ts', 'src-main/resources.ts')])).toEqual([]);
    expect(violations([edge('src-main/app/main.ts', 'electron')])).toEqual([]);
    expect(violations([edge('src-main/engine/infer/runtime.ts', 'src-main/engine/io/decode.ts')])).toEqual([]);
    expect(violations([edge('src-main/cli.ts', 'electron')])).toHaveLength(1);
    expect(violations([edge('src-main/cli/denoise.ts', 'src-main/engine-client/engine-client.ts')])).toEqual([]);
  });

  it('lets the main process import engine/contract/ and nothing else of the engine', () => {
    expect(violations([edge('src-main/api/train.ts', 'src-main/engine/contract/out-folder.ts')])).toEqual([]);
    expect(violations([edge('src-main/api/train.ts', 'src-main/engine/train/trainer.ts')])).toHaveLength(1);
    expect(
      violations([edge('src-main/engine-client/engine-client.ts', 'src-main/engine/process/engine-worker.ts')]),
    ).toHaveLength(1);
    expect(violations([edge('src-main/resources.ts', 'src-main/engine/io/decode.ts')])).toHaveLength(1);
    // The CLI runs engine code in its own process.
    expect(violations([edge('src-main/cli/train.ts', 'src-main/engine/train/trainer.ts')])).toEqual([]);
  });

  it('keeps engine/contract/ to zod, node built-ins, src-shared/ and itself', () => {
    for (const allowed of ['zod', 'node:fs', 'src-shared/contract-core.ts', 'src-main/engine/contract/engine-error.ts'])
      expect(violations([edge('src-main/engine/contract/model-catalog.ts', allowed)]), allowed).toEqual([]);
    for (const banned of [
      'sharp',
      'onnxruntime-node',
      '@tensorflow/tfjs-core',
      'src-main/engine/io/decode.ts',
      'src-main/engine/train/training-state.ts',
      'src-main/settings/data-dir.ts',
    ])
      expect(violations([edge('src-main/engine/contract/model-catalog.ts', banned)]), banned).not.toEqual([]);
  });

  it('finds an upward import inside the engine, and lets a folder import the folders below it', () => {
    expect(
      upwardImports([edge('src-main/engine/jobs/preview.ts', 'src-main/engine/process/engine-worker.ts')]),
    ).toHaveLength(1);
    expect(
      upwardImports([edge('src-main/engine/io/image-args.ts', 'src-main/engine/library/scan-folder.ts')]),
    ).toHaveLength(1);
    expect(upwardImports([edge('src-main/engine/contract/protocol.ts', 'src-main/engine/util/rng.ts')])).toHaveLength(
      1,
    );
    expect(upwardImports([edge('src-main/engine/io/decode.ts', 'src-main/engine/metrics.ts')])).toHaveLength(1);
    expect(
      upwardImports([edge('src-main/engine/library/thumbnails.ts', 'src-main/engine/contract/protocol.ts')]),
    ).toEqual([]);
    expect(upwardImports([edge('src-main/engine/train/trainer.ts', 'src-main/engine/train/noise.ts')])).toEqual([]);
    expect(
      upwardImports([edge('src-main/engine/process/engine-worker.ts', 'src-main/engine/jobs/preview.ts')]),
    ).toEqual([]);
    expect(upwardImports([edge('src-main/api/app.ts', 'src-main/engine/process/engine-worker.ts')])).toEqual([]);
  });
});

describe('architecture: layer rules (docs/architecture.md)', () => {
  it('has no forbidden import', () => {
    expect(violations(edges)).toEqual([]);
  });

  it('places every engine file in a layer folder', () => {
    const folders = new Set(sourceFiles(root, ['src-main/engine']).map((f) => engineFolder(f)!));
    expect([...folders].filter((f) => !ENGINE_LAYERS.includes(f))).toEqual([]);
  });

  it('has no upward import inside the engine', () => {
    expect(upwardImports(edges)).toEqual([]);
  });

  it('imports sharp only in engine/io/ (type-only imports too)', () => {
    const sharpEdges = edges.filter((e) => e.target === 'sharp');
    expect(sharpEdges.some((e) => e.from === 'src-main/engine/io/decode.ts')).toBe(true); // the scanner sees sharp at all
    expect(
      sharpEdges
        .filter((e) => !e.from.startsWith('src-main/engine/io/'))
        .map((e) => `${e.from}:${e.line} → sharp (decoding and encoding belong to engine/io/)`),
    ).toEqual([]);
  });
});
