// The processes that draw the window (Electron's main process) and serve it (the browser host) must
// never load an image decoder or a network: every decode, thumbnail, scan, denoise and training run
// belongs to the engine process. This walks the static import graph from their entry points (type-only
// imports are erased, so they do not count; `import { type X }` is kept under verbatimModuleSyntax,
// so it does) and fails on a path to sharp, ONNX Runtime or TensorFlow.js, naming the chain.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const FORBIDDEN = [/^sharp$/, /^onnxruntime-node$/, /^onnxruntime-common$/, /^@tensorflow\//];

/** The specifiers a module loads at run time: value imports, re-exports and dynamic import(). */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier))
      found.push(node.moduleSpecifier.text);
    else if (
      ts.isExportDeclaration(node) &&
      !node.isTypeOnly &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    )
      found.push(node.moduleSpecifier.text);
    else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    )
      found.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every module reachable from `entry`, with the chain that first reached it, and the packages it loads. */
function importGraph(entry: string): { modules: Map<string, string[]>; packages: Map<string, string[]> } {
  const modules = new Map<string, string[]>([[entry, [entry]]]);
  const packages = new Map<string, string[]>();
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const chain = modules.get(file)!;
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
        if (!modules.has(target)) {
          modules.set(target, [...chain, target]);
          queue.push(target);
        }
      } else if (!spec.startsWith('node:') && !packages.has(spec)) {
        packages.set(spec, chain);
      }
    }
  }
  return { modules, packages };
}

const show = (chain: string[]): string => chain.map((f) => relative(repo, f)).join(' → ');

describe.each([
  ['the browser host', 'src-main/host/main.ts'],
  ['the Electron main process', 'src-main/app/main.ts'],
  ['the api handlers', 'src-main/api/index.ts'],
])('%s', (_name, entry) => {
  const { modules, packages } = importGraph(join(repo, entry));

  it('loads neither sharp nor ONNX Runtime nor TensorFlow.js', () => {
    const reached = [...packages]
      .filter(([spec]) => FORBIDDEN.some((f) => f.test(spec)))
      .map(([spec, chain]) => `${spec} via ${show(chain)}`);
    expect(reached).toEqual([]);
  });

  it('reaches the engine only through engine/contract/ (the folder that loads nothing heavy)', () => {
    // engine/contract/ holds what both sides share: the protocol, the job, the error, the run record,
    // the training output-folder rule with its checkpoint reader, the image extension table and the
    // model catalog. Every other engine folder may load sharp, ONNX Runtime or tfjs.
    const engine = [...modules.keys()].filter((f) => /^src-main[\\/]engine[\\/]/.test(relative(repo, f)));
    const outside = engine.filter((f) => !/^src-main[\\/]engine[\\/]contract[\\/]/.test(relative(repo, f)));
    expect(outside.map((f) => show(modules.get(f)!))).toEqual([]);
    expect(engine.length).toBeGreaterThan(0);
  });

  it('has a walk that found the modules (the test itself can fail)', () => {
    expect(modules.size).toBeGreaterThan(5);
    expect([...packages.keys()]).toContain('zod');
  });
});

describe('layers', () => {
  it('app/ (Electron) does not import host/ (the browser host), nor host/ app/', () => {
    for (const [from, banned] of [
      ['src-main/app/main.ts', 'src-main/host/'],
      ['src-main/host/main.ts', 'src-main/app/'],
    ] as const) {
      const { modules } = importGraph(join(repo, from));
      const crossing = [...modules.keys()].filter((f) => relative(repo, f).startsWith(banned));
      expect(crossing.map((f) => show(modules.get(f)!))).toEqual([]);
    }
  });

  it('the engine imports no platform code (resources, settings, api, app, host, the client side)', () => {
    // access/allowed-folders.ts is a pure path policy: the engine re-checks where outputs go with it.
    const { modules } = importGraph(join(repo, 'src-main/engine/process/engine-main.ts'));
    const platform = [...modules.keys()].filter((f) =>
      /^src-main[\\/](resources\.ts|settings[\\/]|api[\\/]|app[\\/]|host[\\/]|engine-client[\\/])/.test(
        relative(repo, f),
      ),
    );
    expect(platform.map((f) => show(modules.get(f)!))).toEqual([]);
  });
});
