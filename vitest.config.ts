import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  esbuild: { target: 'es2022' },
  // type-graphql and Apollo load graphql's CommonJS build; make our imports use the same copy
  // (two copies of graphql refuse to work together).
  resolve: { alias: [{ find: /^graphql$/, replacement: path.resolve(__dirname, 'node_modules/graphql/index.js') }] },
  test: {
    include: ['test/**/*.test.ts', 'dashboard/src/**/*.test.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    // Names this run's database templates (migrated, and migrated + demo seed; made once per run by
    // the first file that needs one) and drops them at the end: a file clones one in milliseconds.
    globalSetup: ['test/helpers/global-setup.ts'],
    // Each file gets its own database, so files may run side by side (two at a time on two cores).
    pool: 'forks',
    maxWorkers: 2,
    // A worker runs its files one after another in one process: the server's modules (type-graphql,
    // MikroORM, Apollo) are imported once per worker, not once per file (import time 166 s → 15 s,
    // the suite 650 s → 475 s on two cores). Files share no state but the module cache: each
    // starts its own server on its own database.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // `npm test` runs every test but the `slow` ones (--tags-filter='!slow'); `npm run test:slow`
    // runs only those, and .ci/run runs both. A slow test is the long form of a scenario whose
    // short form stays in `npm test` (the 3,000-event browser soak beside a 300-event one; every
    // fault beside one), so nothing goes untested on a push.
    tags: [{ name: 'slow', description: 'long soaks and fault scenarios: npm run test:slow (.ci/run runs it)', timeout: 900_000 }],
    reporters: ['default'],
  },
});
