import { defineConfig } from "vitest/config";

// One vitest run for the whole monorepo. globalSetup lives at the root only: vitest 4 runs the root
// project's globalSetup once per run and merges what it provides into every project's inject().
// The inline projects below deliberately do not `extends: true` the root config: that would load
// globalSetup again per project (vitest 4 concatenates it), i.e. provision services 7 times.
const packages = [
  "packages/db",
  "packages/domain",
  "packages/api",
  "packages/client",
  "packages/ops-kit",
  "apps/server",
  "apps/worker",
  "apps/web",
  "packages/legacy-import",
  "tooling/test-harness",
  "bench",
];

// Our packages export their TypeScript sources under the "source" condition and built JavaScript
// (dist/) by default: tests run on sources, so a fresh clone tests without building first.
// No "module" condition (Vite's default has it): vitest hands these conditions to Node itself
// (--conditions), where "module" made require() pick ESM builds meant for bundlers — the AWS SDK's
// dist-es, whose extensionless imports Node cannot load. Without it dependencies resolve as in production.
const sourceFirst = { conditions: ["source", "node", "development|production"] };

const shared = {
  pool: "forks",
  maxWorkers: 2,
  testTimeout: 30_000,
  hookTimeout: 120_000,
  // expect.poll waits for a state (a page rendered, a job done); vitest's 1 s default failed the
  // team-actions browser test when CI ran two files at once and a page took longer to load. The
  // test timeout still bounds a state that never comes.
  expect: { poll: { timeout: 15_000, interval: 50 } },
} as const;

// Vite 8 resolves per environment: vitest's own (__vitest__, which loads globalSetup) does not
// inherit the top-level conditions, so without it the harness resolved our packages to dist/.
const sourceEverywhere = {
  resolve: sourceFirst,
  ssr: { resolve: sourceFirst },
  environments: { __vitest__: { resolve: sourceFirst } },
};

export default defineConfig({
  ...sourceEverywhere,
  test: {
    globalSetup: ["tooling/test-harness/src/global-setup.ts"],
    ...shared,
    // Teardown drops databases and stops embedded services.
    teardownTimeout: 60_000,
    // A project (or a --project filter) without test files is not a failure.
    passWithNoTests: true,
    projects: packages.map((dir) => ({
      ...sourceEverywhere,
      test: {
        ...shared,
        // A browser journey clicks through many pages: on a busy 2-core machine one took 21 s of
        // the 30 s default, so browser tests get room (each still fails on its first unmet wait).
        ...(dir === "apps/web" ? { testTimeout: 120_000 } : {}),
        name: dir.split("/").at(-1),
        include: [`${dir}/test/**/*.test.ts`, `${dir}/src/**/*.test.ts`],
      },
    })),
  },
});
