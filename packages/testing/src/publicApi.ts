/**
 * What a package's public index exports, read from its source: the names of its `export { … }` and
 * `export type { … }` lists, and those of its exports that carry no TSDoc comment; and the tests that
 * pin each package's API with them (imported by path, not part of this package's exports).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

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

/** A package's public API as its pin test lists it. */
export interface PublicApi {
  /** The package name, e.g. `@msp-billing/events`. */
  readonly name: string;
  /** The package's source folder, holding its `index.ts` (`new URL('../src/', import.meta.url)`). */
  readonly src: URL;
  /** Imports the package's public index (`() => import('../src/index.js')`, from the test file). */
  readonly load: () => Promise<object>;
  /** The values (functions, constants, codecs) of the public index, sorted. */
  readonly values: readonly string[];
  /** The names that are types only. */
  readonly types: readonly string[];
  /** The most names the API may have. */
  readonly atMost: number;
}

/**
 * Registers the tests that pin a package's public API: it exports exactly `values` at run time and
 * exactly `values` and `types` in its index, documents each with TSDoc, and has at most `atMost`.
 */
export const describePublicApi = ({ name, src, load, values, types, atMost }: PublicApi): void => {
  const dir = fileURLToPath(src);
  describe(`the public API of ${name}`, () => {
    it('exports exactly these values', async () => {
      expect(Object.keys(await load()).toSorted()).toEqual(values);
    });

    it('exports exactly these names, values and types', () => {
      expect(exportedNames(join(dir, 'index.ts'))).toEqual([...values, ...types].toSorted());
    });

    it('documents every export with TSDoc', () => {
      expect(undocumented(dir, [...values, ...types])).toEqual([]);
    });

    it('stays small', () => {
      expect(values.length + types.length).toBeLessThanOrEqual(atMost);
    });
  });
};
