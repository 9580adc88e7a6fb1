import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Owns the throwaway PostgreSQL cluster the store suite's postgres backend runs on (started on first use).
    globalSetup: ['test/helpers/postgres-setup.ts'],
  },
});
