import { defineConfig } from 'vitest/config';

// Test projects split by cost (ARCHITECTURE.md, convention 7).
export default defineConfig({
  test: {
    reporters: process.env.QUARRY_TEST_SUMMARY ? ['default', './test/summaryReporter.ts'] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'db',
          include: ['test/integration/**/*.db.test.ts'],
          globalSetup: ['test/integration/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'ai',
          include: ['test/integration/**/*.ai.test.ts'],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          globalSetup: ['test/integration/globalSetup.ts'],
          testTimeout: 90_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
