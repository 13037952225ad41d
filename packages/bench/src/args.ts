/**
 * What `pnpm bench` (main.ts) and `pnpm bench:pg` (postgres.ts) share: where the cached logs live,
 * how sizes are written and labelled (so both use the same files), and reading `--name value`.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, and `.bench/` in it (gitignored): generated logs and results. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const benchDir = resolve(root, '.bench');

/** A file next to the benchmark sources (a child process's script). */
export const here = (f: string): string => resolve(dirname(fileURLToPath(import.meta.url)), f);

/** `100k`, `1m`, `250000` → events. */
export const parseSize = (s: string): number => {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (m === null) throw new RangeError(`bad size ${JSON.stringify(s)} (use e.g. 100k, 1m, 250000)`);
  const mult = m[2]?.toLowerCase() === 'k' ? 1e3 : m[2]?.toLowerCase() === 'm' ? 1e6 : 1;
  return Math.round(Number(m[1]) * mult);
};

/** Events → `100k`, `1M`, `250001`: the label of a log in file names and tables. */
export const label = (n: number): string =>
  n % 1e6 === 0 ? `${n / 1e6}M` : n % 1e3 === 0 ? `${n / 1e3}k` : String(n);

/** The value after `--name` on the command line, if given. */
export const opt = (name: string, argv: readonly string[] = process.argv.slice(2)): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
