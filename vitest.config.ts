import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.spec.ts', 'examples/*/test/**/*.spec.ts'],
    exclude: ['**/node_modules/**', '**/*.fuzz.spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
