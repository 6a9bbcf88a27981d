/** Where a service came from: an env URL, a Testcontainers container, or a local embedded/spawned process. */
export type ServiceSource = "env" | "testcontainers" | "embedded";

/** What the global setup hands every test worker (via vitest provide/inject); must stay serialisable. */
export interface HarnessInfo {
  /** Connection string to the server's `postgres` database; used to create and drop test databases. */
  adminUrl: string;
  /** The migrated database every test database is cloned from (connections to it are disabled). */
  templateDb: string;
  /** Test databases of this run are named `<prefix><poolId>_<random>`, so teardown can find leftovers. */
  testDbPrefix: string;
  /** Redis server URL; tests pick their own logical database (see workerRedisUrl). */
  redisUrl: string;
  source: { postgres: ServiceSource; redis: ServiceSource };
  /**
   * host:port of a PgBouncer (transaction pooling) in front of Postgres, when the run was started
   * with DC_TEST_PGBOUNCER=1: test databases are then reached through it.
   */
  pgbouncer?: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    dcHarness: HarnessInfo;
  }
}
