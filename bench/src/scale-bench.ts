/* Figures for "past one machine" (docs/performance.md): a hot read on a replica vs the primary
 * alone, and the cost of named prepared statements off behind PgBouncer. Private clusters from the
 * machine's Postgres binaries; in-process callers (zod, contract, ledger; no HTTP), so the
 * difference is the database path. Run: pnpm exec tsx bench/src/scale-bench.ts [--seconds 5] */
import { appRouter, createCallerFactory, createContextInner, createReadRouting } from "@deltacrown/api";
import { createDb, migrateToLatest, ReplicaSet, seedPlanDataset, type Db } from "@deltacrown/db";
import { Cache, defaultDomainConfig } from "@deltacrown/domain";
import { startPgCluster } from "@deltacrown/test-harness/pg-cluster";
import { startPgBouncer, throughPgBouncer } from "@deltacrown/test-harness/pgbouncer";

const seconds = Number(process.argv[process.argv.indexOf("--seconds") + 1]) || 5;
const CONCURRENCY = 8;
// Interleaved rounds: this machine's load moves under a run; compare medians of one run.
const ROUNDS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const WORDS = ["Storm", "Frost", "Echo", "Pulse", "Onyx", "Kraken", "Raven", "Solar", "Nexus", "Cipher"];
const say = (line: string) => process.stdout.write(`${line}\n`);

const primary = await startPgCluster({ settings: { max_connections: 200 } });
const stopAll: (() => unknown)[] = [() => primary.destroy()];
try {
  await migrateToLatest({ connectionString: primary.url });
  await seedPlanDataset(primary.url, { teams: 10_000 }, "scrypt$bench$unused");
  const replica = await startPgCluster({ replicaOf: primary, settings: { max_connections: 200 } });
  stopAll.unshift(() => replica.destroy());
  const bouncer = await startPgBouncer(primary.url);
  stopAll.unshift(() => bouncer.stop());

  const cache = new Cache({ disabled: true });
  const config = { ...defaultDomainConfig, scryptCost: 1024 };
  const createCaller = createCallerFactory(appRouter);

  /** Closed loops of `call` for `seconds`; calls per second. */
  async function rate(call: (i: number) => Promise<unknown>): Promise<number> {
    let calls = 0;
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, w) => {
        for (let i = w; performance.now() < end; i += CONCURRENCY) {
          await call(i);
          calls++;
        }
      }),
    );
    return Math.round(calls / seconds);
  }

  // --- a hot read (teams.search by name prefix, uncached) on the primary alone vs on the replica
  const main = createDb({ connectionString: primary.url, max: 10 });
  const replicas = new ReplicaSet({ urls: [replica.url], primary: main.pool, max: 10 });
  await replicas.poll();
  const reads = createReadRouting({ replicas });
  const search = (withReplica: boolean) => {
    const caller = createCaller(
      createContextInner({ db: main.db, cache, config, contractMode: "warn", reads: withReplica ? reads : undefined }),
    );
    return (i: number) => caller.teams.search({ namePrefix: WORDS[i % WORDS.length]!.toLowerCase(), limit: 20 });
  };
  const searchRates: Record<string, number[]> = { primary: [], replica: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of ["primary", "replica"] as const) searchRates[mode]!.push(await rate(search(mode === "replica")));
  }
  say(
    `teams.search (uncached, ${CONCURRENCY} callers, ${seconds} s × ${ROUNDS} each, median [rounds]): primary alone ${median(searchRates.primary!)} [${searchRates.primary!.join(
      " / ",
    )}] calls/s; reads on one replica ${median(searchRates.replica!)} [${searchRates.replica!.join(" / ")}] calls/s`,
  );
  await replicas.close();

  // --- the uncached team page with named prepared statements on/off, direct and through PgBouncer
  const pools: Record<string, Db> = {
    "direct, prepared": main,
    "direct, unprepared": createDb({ connectionString: primary.url, max: 10, prepare: false }),
    "PgBouncer, unprepared": createDb({
      connectionString: throughPgBouncer(primary.url, bouncer.hostPort),
      max: 10,
      prepare: false,
    }),
  };
  const pageRates: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, database] of Object.entries(pools)) {
      const caller = createCaller(createContextInner({ db: database.db, cache, config, contractMode: "warn" }));
      (pageRates[name] ??= []).push(await rate((i) => caller.teams.bySlug({ slug: `team-${(i % 10_000) + 1}` })));
    }
  }
  say(
    `teams.bySlug (uncached page, ${CONCURRENCY} callers, ${seconds} s × ${ROUNDS} each, median [rounds]): ${Object.entries(
      pageRates,
    )
      .map(([name, r]) => `${name} ${median(r)} [${r.join(" / ")}] calls/s`)
      .join("; ")}`,
  );
  await Promise.all(Object.values(pools).map((p) => p.destroy()));
} finally {
  for (const stop of stopAll) await stop();
}
