import { migrateToLatest } from "@deltacrown/db";
import type { TestProject } from "vitest/node";
import type { HarnessInfo } from "./harness-info.ts";
import { adminQuery, dropDatabaseSql, quoteIdent, withDatabase } from "./pg-admin.ts";
import { startPgBouncer, type PgBouncer } from "./pgbouncer.ts";
import { provisionServices } from "./provision.ts";

const STALE_AFTER_MS = 3 * 60 * 60 * 1000;

/**
 * Vitest globalSetup (root config only, so it runs once per run, not once per project):
 * provisions Postgres + Redis, builds one migrated template database, and provides `dcHarness`
 * to every project. Each test file then clones the template (see test-db.ts), which takes
 * milliseconds instead of re-running migrations.
 */
export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  const services = await provisionServices();
  const adminUrl = withDatabase(services.postgresUrl, "postgres");
  await sweepStaleDatabases(adminUrl).catch(() => undefined); // best effort; the run does not depend on it
  const tag = `${Date.now().toString(36)}_${process.pid}`;
  const templateDb = `dc_tpl_${tag}`;
  const testDbPrefix = `dc_test_${tag}_`;

  let pgbouncer: PgBouncer | undefined;
  const teardown = async () => {
    try {
      await pgbouncer?.stop();
      await dropRunDatabases(adminUrl, templateDb, testDbPrefix);
    } finally {
      await services.stop();
    }
  };

  try {
    await adminQuery(adminUrl, [`CREATE DATABASE ${quoteIdent(templateDb)} TEMPLATE template0`]);
    await migrateToLatest({ connectionString: withDatabase(adminUrl, templateDb) });
    await sealTemplate(adminUrl, templateDb);
    // The CI's PgBouncer pass: the query-budget and e2e tests through a transaction pooler.
    if (process.env.DC_TEST_PGBOUNCER === "1") {
      pgbouncer = await startPgBouncer(adminUrl);
      process.stderr.write(
        `[test-harness] test databases through PgBouncer ${pgbouncer.hostPort} (transaction pooling, prepared statements off)\n`,
      );
    }
  } catch (error) {
    await teardown().catch(() => undefined);
    const where = services.labels.postgres;
    const hint = services.source.postgres === "env" ? " (check it, or unset DATABASE_URL to use a local one)" : "";
    throw new Error(`test harness: preparing the template database on ${where} failed${hint}: ${String(error)}`, {
      cause: error,
    });
  }

  const info: HarnessInfo = {
    adminUrl,
    templateDb,
    testDbPrefix,
    redisUrl: services.redisUrl,
    source: services.source,
    ...(pgbouncer && { pgbouncer: pgbouncer.hostPort }),
  };
  provide("dcHarness", info);
  return teardown;
}

/**
 * CREATE DATABASE ... TEMPLATE fails while any session is connected to the template, so forbid new
 * connections and end any left behind (e.g. a pool that migrations did not close).
 */
async function sealTemplate(adminUrl: string, templateDb: string): Promise<void> {
  await adminQuery(adminUrl, [
    `ALTER DATABASE ${quoteIdent(templateDb)} WITH ALLOW_CONNECTIONS false IS_TEMPLATE true`,
    {
      text: "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      values: [templateDb],
    },
  ]);
}

/**
 * Runs interrupted with Ctrl-C never reach their teardown (vitest exits at once on SIGINT/SIGTERM), so
 * their databases linger on a long-lived server (DATABASE_URL). Names carry their creation time; drop
 * those older than any real run could be. Age, not "is that pid alive", because the server may be
 * shared by other machines or containers whose pids mean nothing here.
 */
async function sweepStaleDatabases(adminUrl: string): Promise<void> {
  const rows = await adminQuery<{ datname: string }>(adminUrl, [
    "SELECT datname FROM pg_database WHERE datname ~ '^dc_(tpl|test)_[0-9a-z]+_[0-9]+'",
  ]);
  const stale = rows
    .map(({ datname }) => datname)
    .filter((name) => Date.now() - Number.parseInt(name.split("_")[2] ?? "", 36) > STALE_AFTER_MS);
  await adminQuery(
    adminUrl,
    stale.flatMap((name) => [`ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE false`, dropDatabaseSql(name)]),
  );
}

/** Drops the template and every test database of this run that a file did not drop (crash, failed afterAll). */
async function dropRunDatabases(adminUrl: string, templateDb: string, testDbPrefix: string): Promise<void> {
  const databases = await adminQuery<{ datname: string }>(adminUrl, [
    {
      text: "SELECT datname FROM pg_database WHERE starts_with(datname, $1) OR datname = $2",
      values: [testDbPrefix, templateDb],
    },
  ]);
  await adminQuery(
    adminUrl,
    databases.flatMap(({ datname }) => [
      // A template database cannot be dropped until it stops being one.
      ...(datname === templateDb ? [`ALTER DATABASE ${quoteIdent(datname)} WITH IS_TEMPLATE false`] : []),
      dropDatabaseSql(datname),
    ]),
  );
}
