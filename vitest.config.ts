import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      '{core,agent,lambdas,infra,local,cli,dashboard,packaging}/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file gets its own process: the end-to-end suites start brokers,
    // dynalite and HTTP servers on ephemeral ports.
    pool: 'forks',
  },
});
