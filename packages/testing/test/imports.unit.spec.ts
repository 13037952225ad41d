/**
 * No source file of a package reaches itself through its relative imports (type-only imports
 * included): each module can be read after the ones it imports, and none needs the other half of
 * a pair to make sense.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const sources = readdirSync(join(root, 'packages'))
  .map((name) => ({ name, src: join(root, 'packages', name, 'src') }))
  .filter((p) => existsSync(p.src));

const filesIn = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? filesIn(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );

/** The relative imports of `file` that are TypeScript sources, as their paths. */
const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)]
    .map((m) => resolve(dirname(file), `${m[1] as string}.ts`))
    .filter((f) => existsSync(f));

/** Every cycle a depth-first walk from each node meets, as the nodes on it (first one repeated). */
const cyclesIn = (nodes: readonly string[], edgesOf: (node: string) => readonly string[]): string[][] => {
  const state = new Map<string, 'open' | 'done'>();
  const found: string[][] = [];
  const visit = (node: string, path: readonly string[]): void => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'open') {
      found.push([...path.slice(path.indexOf(node)), node]);
      return;
    }
    state.set(node, 'open');
    for (const next of edgesOf(node)) visit(next, [...path, node]);
    state.set(node, 'done');
  };
  for (const node of nodes) visit(node, []);
  return found;
};

describe('source files', () => {
  it.each(sources)('of $name import one another without a cycle', ({ src }) => {
    const cycles = cyclesIn(filesIn(src), importsOf);
    expect(cycles.map((c) => c.map((f) => relative(src, f)).join(' -> '))).toEqual([]);
  });

  it('the walk finds a cycle of two and of three, and none in a chain', () => {
    const graph = (edges: Record<string, string[]>) => (n: string) => edges[n] ?? [];
    expect(cyclesIn(['a', 'b'], graph({ a: ['b'], b: ['a'] }))).toEqual([['a', 'b', 'a']]);
    expect(cyclesIn(['a'], graph({ a: ['b'], b: ['c'], c: ['a'] }))).toEqual([['a', 'b', 'c', 'a']]);
    expect(cyclesIn(['a', 'b', 'c'], graph({ a: ['b', 'c'], b: ['c'] }))).toEqual([]);
  });
});
