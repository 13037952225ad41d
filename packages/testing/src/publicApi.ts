/**
 * What a package's public index exports, read from its source: the names of its `export { … }` and
 * `export type { … }` lists, and those of its exports that carry no TSDoc comment. For the tests that
 * pin each package's API (imported by path, not part of this package's exports).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every name the index at `indexPath` exports (values and types), sorted. Throws on `export *`, whose
 * names cannot be read from the index alone: a public index lists its names.
 */
export const exportedNames = (indexPath: string): string[] => {
  const text = readFileSync(indexPath, 'utf8');
  if (/export\s+\*/.test(text)) throw new Error(`${indexPath}: export * hides the names it exports`);
  const names: string[] = [];
  for (const m of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const item of (m[1] as string).split(',')) {
      const name = item
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .at(-1);
      if (name !== undefined && name !== '') names.push(name);
    }
  }
  return names.toSorted();
};

const DECLARATION =
  /(\/\*\*(?:[^*]|\*(?!\/))*\*\/\s*)?export\s+(?:declare\s+)?(?:async\s+)?(?:const|let|function\*?|interface|type|class)\s+([A-Za-z_$][\w$]*)/g;

/** The names among `names` that no source file of `srcDir` declares with a TSDoc comment before it. */
export const undocumented = (srcDir: string, names: readonly string[]): string[] => {
  const documented = new Set<string>();
  for (const file of readdirSync(srcDir)) {
    if (!file.endsWith('.ts')) continue;
    for (const m of readFileSync(join(srcDir, file), 'utf8').matchAll(DECLARATION)) {
      if (m[1] !== undefined) documented.add(m[2] as string);
    }
  }
  return names.filter((n) => !documented.has(n));
};
