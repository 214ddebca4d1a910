// Every import edge of the source tree, for the architecture test: which file imports what, on
// which line. TypeScript's own pre-processor finds the specifiers (static imports, `export … from`,
// `import type`, side-effect imports, literal `import()`), so comments, strings and regex literals
// cannot fool it; a .svelte file contributes its <script> blocks. Relative specifiers are resolved
// against the importing file to a repository path, the way the compiler would find the file.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** The importing file, relative to the repository root, with '/' separators. */
  readonly from: string;
  readonly line: number;
  /** The specifier as written. */
  readonly specifier: string;
  /** A repository path (e.g. 'src-main/engine/io/decode.ts') for a relative specifier; the package name otherwise. */
  readonly target: string;
  /** For a relative specifier: whether `target` is a file that exists. */
  readonly resolved: boolean;
}

const SOURCE = /\.(ts|svelte)$/;

/** The .ts and .svelte files under `folders` (relative to `root`), as repository paths. */
export function sourceFiles(root: string, folders: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(root, dir))) {
      const path = posix.join(dir, name);
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(path);
    }
  };
  for (const folder of folders) walk(folder);
  return out.sort();
}

/** The pieces of a file that hold imports, with their offsets: the whole file, or a Svelte file's scripts. */
function scriptBlocks(path: string, text: string): Array<{ code: string; offset: number }> {
  if (!path.endsWith('.svelte')) return [{ code: text, offset: 0 }];
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => ({
    code: m[1]!,
    offset: m.index + m[0].indexOf('>') + 1,
  }));
}

/** The file a relative specifier names: `./x.js` is `./x.ts` in source, `./x.svelte.js` is `./x.svelte.ts`. */
function resolveRelative(root: string, from: string, specifier: string): { target: string; resolved: boolean } {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  const stem = base.replace(/\.(js|mjs|cjs)$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.mts`, `${stem}.d.ts`, posix.join(base, 'index.ts')];
  const found = candidates.find((c) => existsSync(join(root, c)) && statSync(join(root, c)).isFile());
  return { target: found ?? base, resolved: found !== undefined };
}

/** The package a bare specifier names: 'sharp', '@tensorflow/tfjs-core', 'node:fs'. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The import edges of one file. */
export function importsOf(root: string, path: string): ImportEdge[] {
  const text = readFileSync(join(root, path), 'utf8');
  const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length;
  return scriptBlocks(path, text).flatMap(({ code, offset }) =>
    ts.preProcessFile(code, true, true).importedFiles.map(({ fileName: specifier, pos }) => {
      const relativeSpecifier = specifier.startsWith('./') || specifier.startsWith('../');
      const { target, resolved } = relativeSpecifier
        ? resolveRelative(root, path, specifier)
        : { target: packageOf(specifier), resolved: true };
      return { from: path, line: lineOf(offset + pos), specifier, target, resolved };
    }),
  );
}

/** Every import edge of the .ts/.svelte files under `folders`. */
export function importEdges(root: string, folders: readonly string[]): ImportEdge[] {
  return sourceFiles(root, folders).flatMap((path) => importsOf(root, path));
}
