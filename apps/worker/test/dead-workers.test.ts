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
    expect(reaped).toEqual([{ workerId: "dead", poolId: "pool-dead" }]);

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
    expect(await reapDeadWorkers(services.db, { deadAfterMs: 60_000, selfId: "self" })).toEqual([]);
  });
});
