import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = join(__dirname, '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? tsFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** Relative imports only; `import type` and `export … from` count, since a type cycle ties files as tightly. */
function relativeImports(file: string, known: Set<string>): string[] {
  const source = readFileSync(file, 'utf8');
  const specs = [...source.matchAll(/(?:from\s+|import\s*\(\s*|^import\s+)['"](\.[^'"]*)['"]/gm)].map(
    (m) => m[1],
  );
  return specs.flatMap((spec) => {
    const target = resolve(dirname(file), spec);
    const hit = [`${target}.ts`, join(target, 'index.ts')].find((candidate) => known.has(candidate));
    return hit ? [hit] : [];
  });
}

/** Tarjan's strongly connected components; every one larger than a file is a cycle. */
function cycles(files: string[]): string[][] {
  const known = new Set(files);
  const edges = new Map(files.map((file) => [file, relativeImports(file, known)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) found.push(component.map((f) => relative(root, f)).sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return found;
}

describe('import cycles', () => {
  it('src has none, across its layers too (import type counts: it ties two files as tightly)', () => {
    assert.deepEqual(cycles(tsFiles(join(root, 'src'))), []);
  });
});
