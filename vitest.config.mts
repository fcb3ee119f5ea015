import { defineConfig } from 'vitest/config';

// Native addon: separate processes, not worker threads, for isolation.
const shared = { pool: 'forks' as const, testTimeout: 60_000, hookTimeout: 60_000 };
// Files that measure the event loop run alone, after the rest, so other test files' CPU load
// on this machine's cores does not show up as event-loop delay.
const quiet = ['tests/native/event-loop.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: { ...shared, name: 'main', include: ['tests/**/*.test.ts'], exclude: quiet },
      },
      {
        test: { ...shared, name: 'quiet', include: quiet, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
