import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Native addon: separate processes, not worker threads, for isolation.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
