// Layers of the engine that must not lean on each other: inference (infer/) and the ONNX code
// (onnx/) run without the trainer, so neither may import train/ (shared helpers live in util/).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const engine = path.resolve(__dirname, '../../src-main/engine');

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.join(e.parentPath, e.name));
}

describe('engine layers', () => {
  for (const layer of ['infer', 'onnx']) {
    it(`${layer}/ imports nothing from train/`, async () => {
      const offenders: string[] = [];
      const files = await sources(path.join(engine, layer));
      expect(files.length).toBeGreaterThan(3);
      for (const file of files) {
        const text = await readFile(file, 'utf8');
        for (const match of text.matchAll(/from '([^']+)'/g)) {
          const target = path.resolve(path.dirname(file), match[1]!);
          if (target.startsWith(path.join(engine, 'train') + path.sep)) offenders.push(`${path.relative(engine, file)} → ${match[1]}`);
        }
      }
      expect(offenders).toEqual([]);
    });
  }
});
