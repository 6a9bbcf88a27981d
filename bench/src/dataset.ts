import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrateToLatest, seedPlanDataset, type PlanDatasetCounts, type PlanDatasetSize } from "@deltacrown/db";
import { startEmbeddedPostgres } from "@deltacrown/db/embedded";
import { hashPassword } from "@deltacrown/domain";
import pg from "pg";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Every bench user's password; they share ONE precomputed hash (cheap scrypt cost). */
export const BENCH_PASSWORD = "deltacrown-bench";
export const BENCH_SCRYPT_COST = 1024;

export interface BenchDatabase {
  url: string;
  counts: PlanDatasetCounts;
  seedSeconds: number;
  /** Where it runs: DATABASE_URL's server, or an embedded Postgres. */
  server: "DATABASE_URL" | "embedded";
  drop(): Promise<void>;
}

/**
 * A fresh database on DATABASE_URL's server (or on an embedded Postgres when it is unset),
 * migrated and seeded with the bench dataset of `teams` teams (`size` overrides its other defaults).
 */
export async function prepareBenchDatabase(
  teams: number,
  size: Omit<PlanDatasetSize, "teams"> = {},
  /** Progress lines (migration and seeding steps). */
  onStep?: (line: string) => void,
): Promise<BenchDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  const embedded = serverUrl
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: path.join(repoRoot, ".data", `bench-pg-${process.pid}`),
        persistent: false,
        // A throwaway cluster: durability costs only time here.
        postgresFlags: ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "max_connections=200"],
      });
  if (embedded) mkdirSync(path.join(repoRoot, ".data"), { recursive: true });
  const adminUrl = serverUrl ?? embedded!.url;
  const name = `dc_bench_${randomBytes(4).toString("hex")}`;
  await admin(adminUrl, `create database "${name}"`);
  const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  const drop = async () => {
    await admin(adminUrl, `drop database if exists "${name}" with (force)`).catch(() => undefined);
    await embedded?.stop();
  };
  try {
    await migrateToLatest({ connectionString: url, onStep: onStep && ((line) => onStep(`migrate: ${line}`)) });
    const started = performance.now();
    const hash = await hashPassword(BENCH_PASSWORD, BENCH_SCRYPT_COST);
    const counts = await seedPlanDataset(url, { ...size, teams }, hash, onStep);
    const seedSeconds = (performance.now() - started) / 1000;
    return { url, counts, seedSeconds, server: embedded ? "embedded" : "DATABASE_URL", drop };
  } catch (error) {
    await drop();
    throw error;
  }
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
