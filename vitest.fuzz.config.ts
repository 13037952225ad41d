import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.fuzz.spec.ts'],
    testTimeout: 600_000,
  },
});
