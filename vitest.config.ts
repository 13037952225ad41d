import { defineConfig } from 'vitest/config';

// One configuration for the whole workspace. Fuzz suites (*.fuzz.spec.ts) run in the normal suite with
// a small count; `pnpm test:fuzz` runs only them with MSP_FUZZ_RUNS raised (see docs/testing.md).
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.spec.ts', 'examples/*/test/**/*.spec.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['packages/store-postgres/test/support/globalSetup.ts'],
  },
});
