import { defineConfig } from 'vitest/config';

// One configuration for the whole workspace. Fuzz suites (*.fuzz.spec.ts) run in the normal suite with
// a small count; `pnpm test:fuzz` runs only them with MSP_FUZZ_RUNS raised (see docs/testing.md).
// Vitest 5 prints failures with Map.groupBy (Node 21+). On Node 20 a failing test would crash the
// reporter instead of being reported, so supply it here: this file runs in vitest's main process.
type GroupBy = <K, V>(items: Iterable<V>, key: (item: V, index: number) => K) => Map<K, V[]>;
const MapWithGroupBy = Map as unknown as { groupBy?: GroupBy };
if (typeof MapWithGroupBy.groupBy !== 'function') {
  MapWithGroupBy.groupBy = <K, V>(items: Iterable<V>, key: (item: V, index: number) => K): Map<K, V[]> => {
    const out = new Map<K, V[]>();
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      const list = out.get(k);
      if (list === undefined) out.set(k, [item]);
      else list.push(item);
    }
    return out;
  };
}

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.spec.ts', 'examples/*/test/**/*.spec.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['packages/store-postgres/test/support/globalSetup.ts'],
  },
});
