import { defineConfig } from 'vitest/config';

// Two projects: unit tests of pure logic run in parallel; integration tests share the real
// PostgreSQL, Redis and broker, so they run one file at a time to keep their data apart.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // Property tests of the geofence take seconds under load; the default 5 s would fail them on a busy machine, not a wrong answer.
          testTimeout: 120_000,
          include: ['geofence/**/*.test.ts', 'ingest/**/*.test.ts', 'alerts/**/*.test.ts', 'infra/**/*.test.ts', 'firmware-sim/**/*.test.ts', 'dashboard/**/*.test.ts', 'tests/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
