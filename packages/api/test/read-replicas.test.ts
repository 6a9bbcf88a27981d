import { createDb, migrateToLatest, ReplicaSet, type Db } from "@deltacrown/db";
import { Cache, demoGames } from "@deltacrown/domain";
import { waitFor } from "@deltacrown/test-harness";
import { canStartPgCluster, startPgCluster, type PgCluster } from "@deltacrown/test-harness/pg-cluster";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  appRouter,
  createCallerFactory,
  createContextInner,
  createMetrics,
  createReadRouting,
  type CallReport,
  type ReadRouting,
} from "../src/index.ts";
import { PASSWORD, testConfig } from "./api-harness.ts";

/**
 * Read routing against a real streaming replica (pg_basebackup -R) that applies WAL 2 s late
 * (recovery_min_apply_delay): the ledger says which server ran each statement.
 */
describe.skipIf(!canStartPgCluster())("read replicas", () => {
  let primary: PgCluster;
  let replica: PgCluster;
  let database: Db;
  let replicaDb: Db;
  let replicas: ReplicaSet;
  let reads: ReadRouting;
  const metrics = createMetrics();
  const reports: CallReport[] = [];
  // One cache for every call, as in one API process.
  const cache = new Cache({});
  const caller = (token: string | null = null) =>
    createCallerFactory(appRouter)(
      createContextInner({
        db: database.db,
        cache,
        config: testConfig,
        contractMode: "throw",
        metrics,
        reads,
        onCall: (r) => reports.push(r),
        token,
      }),
    );
  /** Runs one call; returns its result and the servers its statements ran on. */
  async function servers<T>(call: () => Promise<T>): Promise<{ result: T; servers: string[] }> {
    const before = reports.length;
    const result = await call();
    const report = reports.slice(before).at(-1)!;
    return { result, servers: [...new Set(report.ledger.queries.map((q) => q.server))] };
  }
  const fallbacks = async (reason: string) =>
    (await metrics.replicaFallbacks.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;

  beforeAll(async () => {
    primary = await startPgCluster();
    await migrateToLatest({ connectionString: primary.url });
    database = createDb({ connectionString: primary.url, max: 4 });
    await database.db.insertInto("games").values(demoGames).execute();
    replica = await startPgCluster({ replicaOf: primary, settings: { recovery_min_apply_delay: "'2s'" } });
    // A bound above the artificial delay: the replica counts as healthy, only behind.
    replicaDb = createDb({ connectionString: replica.url, max: 1 });
    replicas = new ReplicaSet({ urls: [replica.url], primary: database.pool, maxLagMs: 30_000, pollMs: 200, max: 4 });
    reads = createReadRouting({
      replicas,
      onFallback: (reason) => metrics.replicaFallbacks.inc({ reason }),
    });
    await waitFor(() => replicas.status()[0]?.status === "up", { timeoutMs: 60_000 });
  });

  afterAll(async () => {
    await replicas?.close();
    await replicaDb?.destroy();
    await database?.destroy();
    replica?.destroy();
    primary?.destroy();
  });

  it("runs declared hot reads on the replica, writes and sessions on the primary", async () => {
    const anonymous = await servers(() => caller().teams.search({ namePrefix: "lagging", limit: 5 }));
    expect(anonymous.servers).toEqual([replicas.status()[0]!.server]);
    expect(anonymous.servers[0]).toMatch(/^replica:127\.0\.0\.1:\d+$/);

    const signUp = await servers(() =>
      caller().identity.signUp({ username: "routing_owner", email: "routing@test.dc", password: PASSWORD }),
    );
    expect(signUp.servers).toEqual(["primary"]);
    // Undeclared reads (the caller's own teams, a session's view) stay on the primary.
    const mine = await servers(() => caller(signUp.result.token).teams.mine({}));
    expect(mine.servers).toEqual(["primary"]);
  });

  it("reads a session's own write from the primary until the delayed replica replayed past it", async () => {
    const owner = await caller().identity.signUp({ username: "ryw_owner", email: "ryw@test.dc", password: PASSWORD });
    const write = await servers(() =>
      caller(owner.token).teams.create({ name: "Lagging Lions", gameSlug: "valorant" }),
    );
    expect(write.servers).toEqual(["primary"]);

    // The writer sees its team at once, read on the primary (the session lookup too).
    const own = await servers(() => caller(owner.token).teams.search({ namePrefix: "lagging", limit: 10 }));
    expect(own.servers).toEqual(["primary"]);
    expect(own.result.items.map((t) => t.name)).toEqual(["Lagging Lions"]);
    expect(await fallbacks("behind_session")).toBeGreaterThan(0);

    // Another reader is served by the replica, which has not applied the write yet (2 s delay).
    const other = await servers(() => caller().teams.search({ namePrefix: "lagging", limit: 10 }));
    expect(other.servers).toEqual([replicas.status()[0]!.server]);
    expect(other.result.items).toEqual([]);

    // Once the replica replayed past the write's LSN, the writer's reads go back to it.
    const later = await waitFor(
      async () => {
        const call = await servers(() => caller(owner.token).teams.search({ namePrefix: "lagging", limit: 10 }));
        return call.servers[0]?.startsWith("replica:") ? call : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(later.result.items.map((t) => t.name)).toEqual(["Lagging Lions"]);
  });

  it("fills the cache from the primary, so a rename is never cached as the lagging replica still shows it", async () => {
    const owner = await caller().identity.signUp({ username: "fill_owner", email: "fill@test.dc", password: PASSWORD });
    const team = await caller(owner.token).teams.create({ name: "Before Rename", gameSlug: "valorant" });
    expect((await caller().teams.bySlug({ slug: team.slug })).name).toBe("Before Rename");
    const replicaName = async () =>
      (await replicaDb.db.selectFrom("teams").select("name").where("slug", "=", team.slug).executeTakeFirst())?.name;
    await waitFor(async () => (await replicaName()) === "Before Rename", { timeoutMs: 60_000 });
    await caller(owner.token).teams.update({ slug: team.slug, name: "After Rename" });
    // The update answered with the page it read back (on the primary) and cached it; another
    // process's cache holds nothing for it now (the rename's invalidation): be that process.
    await cache.invalidate("teamDetail", team.slug);

    // An anonymous read is routed to the replica, which has not applied the rename yet (2 s
    // delay); the rename's invalidation emptied the entry, so this read fills it again.
    const { servers: ran, result } = await servers(() => caller().teams.bySlug({ slug: team.slug }));
    expect(result.name).toBe("After Rename");
    expect(ran).toEqual(["primary"]);
    expect(await replicaName()).toBe("Before Rename"); // the window this guards against was open
    // And what was stored is the new name: the next read is a hit with no statement.
    const hit = await servers(() => caller().teams.bySlug({ slug: team.slug }));
    expect(hit.result.name).toBe("After Rename");
    expect(hit.servers).toEqual([]);
  });

  it("skips a replica lagging beyond the bound", async () => {
    const tight = new ReplicaSet({
      urls: [replica.url],
      primary: database.pool,
      maxLagMs: 500,
      pollMs: 60_000,
      max: 1,
    });
    try {
      const owner = await caller().identity.signUp({ username: "lag_bound", email: "lag@test.dc", password: PASSWORD });
      // Each write leaves WAL the replica holds back for 2 s: its replay lag passes the 500 ms bound.
      await waitFor(
        async () => {
          await database.db
            .updateTable("users")
            .set({ display_name: `Lag ${Date.now()}` })
            .where("id", "=", owner.user.id)
            .execute();
          await tight.poll();
          return tight.status()[0]!.status === "lagging";
        },
        { timeoutMs: 60_000 },
      );
      expect(tight.pick()).toEqual({ skipped: "lagging" });
      expect(tight.status()[0]!.lagMs).toBeGreaterThan(500);
    } finally {
      await tight.close();
    }
  });

  it("falls back to the primary when the replica stops, and counts it", async () => {
    const downBefore = await fallbacks("down");
    await replica.stop("fast");
    // At once (before any poll noticed): the call fails on the replica and runs again on the primary.
    const first = await servers(() => caller().teams.search({ namePrefix: "lagging", limit: 5 }));
    expect(first.servers).toContain("primary");
    expect(first.result.items.length).toBeGreaterThan(0);
    await waitFor(() => replicas.status()[0]?.status === "down", { timeoutMs: 30_000 });
    const next = await servers(() => caller().teams.search({ namePrefix: "lagging", limit: 5 }));
    expect(next.servers).toEqual(["primary"]);
    expect(await fallbacks("down")).toBeGreaterThan(downBefore);

    await replica.start();
    await waitFor(() => replicas.status()[0]?.status === "up", { timeoutMs: 60_000 });
    expect((await servers(() => caller().teams.search({ namePrefix: "lagging", limit: 5 }))).servers[0]).toMatch(
      /^replica:/,
    );
  });
});
