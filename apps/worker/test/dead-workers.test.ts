/**
 * Dead workers' job locks (issue 12): graphile-worker 0.17 frees a dead worker's locks only after
 * 4 hours. reapDeadWorkers releases the locks of workers whose heartbeat is older than the bound
 * — by graphile-worker's pool id, what it writes to `locked_by` — and leaves live workers' alone.
 */
import { enqueue } from "@deltacrown/domain";
import { useTestServices } from "@deltacrown/test-harness";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { reapDeadWorkers } from "../src/dead-workers.ts";

describe("reapDeadWorkers", () => {
  const services = useTestServices();

  async function lockedJob(lockedBy: string): Promise<string> {
    await services.db
      .transaction()
      .execute((trx) =>
        enqueue(trx, "audit/write", { actorId: null, action: "x", entityType: "t", entityId: lockedBy }),
      );
    const { rows } = await sql<{ id: string }>`
      update graphile_worker._private_jobs set locked_at = now(), locked_by = ${lockedBy}
       where id = (select max(id) from graphile_worker._private_jobs) returning id::text`.execute(services.db);
    return rows[0]!.id;
  }

  it("unlocks the jobs of a worker silent past the bound, forgets it, and spares the living", async () => {
    await services.db
      .insertInto("worker_heartbeats")
      .values([
        { worker_id: "dead", hostname: "h", pid: 1, pool_id: "pool-dead" },
        { worker_id: "alive", hostname: "h", pid: 2, pool_id: "pool-alive" },
        { worker_id: "self", hostname: "h", pid: 3, pool_id: "pool-self" },
      ])
      .execute();
    await sql`update worker_heartbeats set beat_at = now() - interval '90 seconds' where worker_id in ('dead', 'self')`.execute(
      services.db,
    );
    const deadJob = await lockedJob("pool-dead");
    const aliveJob = await lockedJob("pool-alive");

    const reaped = await reapDeadWorkers(services.db, { deadAfterMs: 60_000, selfId: "self" });
    expect(reaped).toEqual({ workers: [{ workerId: "dead", poolId: "pool-dead" }], orphanedPools: [] });

    const { rows } = await sql<{ id: string; locked_by: string | null }>`
      select id::text, locked_by from graphile_worker._private_jobs where id in (${deadJob}, ${aliveJob}) order by id`.execute(
      services.db,
    );
    expect(rows).toEqual([
      { id: deadJob, locked_by: null },
      { id: aliveJob, locked_by: "pool-alive" },
    ]);
    const left = await services.db.selectFrom("worker_heartbeats").select("worker_id").orderBy("worker_id").execute();
    expect(left.map((r) => r.worker_id)).toEqual(["alive", "self"]);
    // Nothing more to do the second time.
    expect(await reapDeadWorkers(services.db, { deadAfterMs: 60_000, selfId: "self" })).toEqual({
      workers: [],
      orphanedPools: [],
    });
  });

  // CI failure (faults.test.ts): a killed worker's job stayed locked by a pool its heartbeat did not
  // name, so the reaper, which went by the heartbeat alone, never released it.
  it("unlocks a lock older than the bound whose pool no live worker claims, and only such locks", async () => {
    await services.db.deleteFrom("worker_heartbeats").execute();
    await services.db
      .insertInto("worker_heartbeats")
      .values([
        { worker_id: "alive-2", hostname: "h", pid: 4, pool_id: "pool-alive-2" },
        { worker_id: "self-2", hostname: "h", pid: 5, pool_id: "pool-self-old" },
      ])
      .execute();
    // A running legacy import's pool has no heartbeat; its run row claims it.
    await sql`insert into legacy_import_runs (source, batch_size, worker_id) values ('test', 10, 'pool-import')`.execute(
      services.db,
    );
    const importJob = await lockedJob("pool-import");
    const orphanJob = await lockedJob("pool-orphan");
    const youngOrphanJob = await lockedJob("pool-young");
    const aliveJob = await lockedJob("pool-alive-2");
    const ownJob = await lockedJob("pool-self-new");
    // Locked 90 s ago, all but the young one: past the 60 s bound.
    await sql`update graphile_worker._private_jobs set locked_at = now() - interval '90 seconds'
       where id in (${orphanJob}, ${aliveJob}, ${ownJob}, ${importJob})`.execute(services.db);
    // A queue locked by the orphan (a job of a named queue locks its queue).
    await sql`insert into graphile_worker._private_job_queues (queue_name, locked_at, locked_by)
       values ('orphan-queue', now() - interval '90 seconds', 'pool-orphan')`.execute(services.db);

    const reaped = await reapDeadWorkers(services.db, {
      deadAfterMs: 60_000,
      selfId: "self-2",
      ownPools: ["pool-self-new"],
    });
    expect(reaped).toEqual({ workers: [], orphanedPools: ["pool-orphan"] });

    const { rows } = await sql<{ id: string; locked_by: string | null }>`
      select id::text, locked_by from graphile_worker._private_jobs
       where id in (${importJob}, ${orphanJob}, ${youngOrphanJob}, ${aliveJob}, ${ownJob}) order by id`.execute(
      services.db,
    );
    expect(rows).toEqual([
      { id: importJob, locked_by: "pool-import" },
      { id: orphanJob, locked_by: null },
      { id: youngOrphanJob, locked_by: "pool-young" },
      { id: aliveJob, locked_by: "pool-alive-2" },
      { id: ownJob, locked_by: "pool-self-new" },
    ]);
    const { rows: queues } = await sql<{ locked_by: string | null }>`
      select locked_by from graphile_worker._private_job_queues where queue_name = 'orphan-queue'`.execute(services.db);
    expect(queues).toEqual([{ locked_by: null }]);
  });
});
