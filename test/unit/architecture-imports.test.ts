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
  /** A repository path prefix ('src-main/app/'), a file ('src-main/resources.ts') or a package ('electron', '@tensorflow/'). */
  readonly forbidden: readonly string[];
  readonly why: string;
}

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
    from: ['src-main/cli/', 'src-main/cli.ts'],
    forbidden: ['electron', 'src-main/app/', 'src-main/host/'],
    why: 'the CLI runs on plain Node, without a window or a server',
  },
];

/** Whether `target` (a repository path or a package name) is what `pattern` names. */
function matches(target: string, pattern: string): boolean {
  return pattern.endsWith('/') ? target.startsWith(pattern) : target === pattern;
}

/** The edges that break a rule, as 'file:line → target (why)'. */
function violations(edges: readonly ImportEdge[], rules: readonly LayerRule[] = RULES): string[] {
  return edges.flatMap((edge) =>
    rules
      .filter((rule) => rule.from.some((pattern) => matches(edge.from, pattern)) && rule.forbidden.some((pattern) => matches(edge.target, pattern)))
      .map((rule) => `${edge.from}:${edge.line} → ${edge.target} (${rule.why})`),
  );
}

const edges = importEdges(root, LAYERS);
const edge = (from: string, target: string): ImportEdge => ({ from, line: 1, specifier: target, target, resolved: true });

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
});

describe('architecture: layer rules (docs/architecture.md)', () => {
  it('has no forbidden import', () => {
    expect(violations(edges)).toEqual([]);
  });
});
