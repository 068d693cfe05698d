import { defineConfig } from 'vitest/config';

// Browser tests in real Chromium (Debian's /usr/bin/chromium driven by playwright-core).
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    // The same migrated template database as the integration tests, for tests against the server.
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // One browser at a time: the markdown timings and keyboard latencies are measured, not just run.
    fileParallelism: false,
  },
});
